#!/usr/bin/env bash
# Capacity, measured: GetDatabaseKey throughput of 1 and 2 replicas of the packaged key service on a 3-node
# Galera cluster (scripts/galera.sh) against the same on a single MariaDB (same Debian mariadbd, same InnoDB
# settings, no wsrep), in one run, and the per-unit costs docs/capacity.md builds its model from:
#   - rows and bytes per stored database key, master key and audit record (information_schema after ANALYZE,
#     with N database keys made through GetDatabaseKey's first-use path, and 400 clusters enabled),
#   - KMS calls per CMK validation (UpdateProjectEncryption), per cluster enabled, per master-key cache miss (a second replica's first release of a cluster's key) and per
#     master-key rotation (RotateMasterKey of a cluster until GetRotationStatus says done), counted at moto,
#   - CPU per GetDatabaseKey of the service and of the database (every mariadbd of the backend), and the
#     re-wrap rate of a rotation.
# Each backend: replica A starts, makes a project on an AWS CMK in moto with 4 encrypted clusters and N keys;
# replica B starts (same seal key and admin token, as replicas of one deployment); ghz drives A alone, then A
# and B at once (one ghz each, half the concurrency each), then a rotation runs. Not part of any CI run.
# Usage: key-service/bench/capacity.sh [seconds per case, default 20] [database keys, default 10000]
# Needs what data-plane.sh needs, plus Debian mariadb-server and galera-4 (scripts/galera.sh).
set -euo pipefail
seconds="${1:-20}"
keys="${2:-10000}"
repo="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
tools="$repo/.tools"
ghz="$tools/bin/ghz"
grpcurl="$tools/bin/grpcurl"
moto_server="$tools/venv/bin/moto_server"
jar="$repo/key-service/target/quarkus-app/quarkus-run.jar"
work="$repo/key-service/target/bench-capacity"
results="$repo/key-service/bench/results/capacity.md"
clusters=4
master_keys=400  # clusters enabled at the end, for the bytes per master key and KMS calls per cluster enabled
concurrency=32
# The data-plane benchmark's service JVM: java_bin and jvm_flags (BENCH_JAVA, BENCH_GC).
source "$repo/key-service/bench/service-jvm.sh"

fail() { echo "capacity benchmark: $*" >&2; exit 1; }
source "$repo/key-service/bench/ports.sh"
for tool in java python3 mariadbd mariadb-install-db mariadb; do
  command -v "$tool" >/dev/null || fail "$tool not found on PATH"
done
[ -f /usr/lib/galera/libgalera_smm.so ] || fail "galera-4 is not installed"
[ -x "$moto_server" ] && [ -x "$grpcurl" ] && [ -x "$ghz" ] || fail "moto, grpcurl or ghz missing: run data-plane.sh once"
[ -f "$jar" ] || fail "no packaged service: mvn -B -pl key-service -am package -DskipTests"

rm -rf "$work" && mkdir -p "$work" "$(dirname "$results")"
pids=()
export GALERA_DIR="$work/galera" GALERA_BASE_PORT="${GALERA_BASE_PORT:-24700}"
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/single/mariadbd.pid" ] && kill "$(cat "$work/single/mariadbd.pid")" 2>/dev/null || true
  "$repo/scripts/galera.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

moto_port=$(free_port)
"$moto_server" -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 &
pids+=($!)
await_port "$moto_port" 30 "${pids[-1]}" || fail "moto did not start; see $work/moto.log"
moto_kms_requests() { grep -c '"POST / HTTP' "$work/moto.log" || true; }
cmk=$("$tools/venv/bin/python" -c "
import boto3
kms = boto3.client('kms', endpoint_url='http://127.0.0.1:$moto_port', region_name='us-east-1',
                   aws_access_key_id='bench', aws_secret_access_key='bench')
print(kms.create_key(Description='atrest capacity benchmark')['KeyMetadata']['Arn'])")
cpu_ticks() { local t=0 pid; for pid in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$t"; }

# A single MariaDB with the Galera nodes' InnoDB settings (see scripts/galera.sh), for the comparison.
start_single() {
  local dir="$work/single" port; port=$(free_port)
  mkdir -p "$dir/data" "$dir/tmp"
  cat >"$dir/my.cnf" <<EOF
[mariadbd]
datadir=$dir/data
tmpdir=$dir/tmp
socket=$dir/mysqld.sock
pid-file=$dir/mariadbd.pid
log-error=$dir/error.log
port=$port
bind-address=127.0.0.1
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_bin
innodb_buffer_pool_size=64M
innodb_log_file_size=48M
max_connections=300
EOF
  mariadb-install-db --defaults-file="$dir/my.cnf" --user="$(id -un)" --auth-root-authentication-method=socket \
    --skip-test-db >"$dir/install.log" 2>&1 || fail "mariadb-install-db failed; see $dir/install.log"
  mariadbd --defaults-file="$dir/my.cnf" --user="$(id -un)" >>"$dir/mariadbd.out" 2>&1 &
  await_port "$port" 60 $! || fail "single MariaDB did not start; see $dir/error.log"
  mariadb --no-defaults -uroot --socket="$dir/mysqld.sock" <<SQL
CREATE DATABASE atrest CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER 'atrest'@'127.0.0.1' IDENTIFIED BY 'atrest-single';
GRANT ALL ON atrest.* TO 'atrest'@'127.0.0.1';
SQL
  jdbc_url="jdbc:mariadb://127.0.0.1:$port/atrest" db_user=atrest db_password=atrest-single
  db_pids=("$(cat "$dir/mariadbd.pid")")
  db_sql() { mariadb --no-defaults -uroot --socket="$work/single/mysqld.sock" -N atrest "$@"; }
}

start_galera() {
  eval "$("$repo/scripts/galera.sh" start 2>"$work/galera-start.log")" || fail "galera did not start; see $work/galera-start.log"
  jdbc_url="$ATREST_GALERA_JDBC_URL" db_user="$ATREST_GALERA_USER" db_password="$ATREST_GALERA_PASSWORD"
  db_pids=()
  for n in 1 2 3; do db_pids+=("$(pgrep -f "mariadbd --defaults-file=$GALERA_DIR/node$n/my.cnf")"); done
  db_sql() { mariadb --no-defaults -uroot --socket="$GALERA_DIR/node1/mysqld.sock" -N atrest "$@"; }
}

# start_replica BACKEND NAME: the packaged service on the backend's database; sets replica_port and replica_pid.
seal_key=$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')
start_replica() {
  local dir="$work/$1/$2"; mkdir -p "$dir"
  replica_port=$(free_port)
  MALLOC_ARENA_MAX=2 QUARKUS_DATASOURCE_PASSWORD="$db_password" ATREST_SEAL_KEY="$seal_key" \
    "$java_bin" "${jvm_flags[@]}" -Datrest.data-dir="$dir" -Dquarkus.grpc.server.port="$replica_port" \
    -Dquarkus.management.port="$(free_port)" -Datrest.vault-api.port="$(free_port)" \
    -Dquarkus.datasource.jdbc.url="$jdbc_url" -Dquarkus.datasource.username="$db_user" \
    -Datrest.auth.bootstrap-token-file="$work/$1/admin-token" \
    -Datrest.aws.endpoint-override="http://127.0.0.1:$moto_port" \
    -Daws.accessKeyId=bench -Daws.secretAccessKey=bench -Daws.region=us-east-1 \
    -jar "$jar" >"$dir.log" 2>&1 &
  replica_pid=$!
  pids+=("$replica_pid")
  await_port "$replica_port" 300 "$replica_pid" || fail "replica $2 on $1 did not start; see $dir.log"
  for _ in $(seq 1 120); do [ -s "$work/$1/admin-token" ] && return 0; sleep 0.5; done
  fail "no bootstrap admin token from replica $2 on $1"
}

call() { # token port method json
  ATREST_BENCH_TOKEN="$1" "$grpcurl" -plaintext -format-error -H "authorization: Bearer \${ATREST_BENCH_TOKEN}" \
    -expand-headers -d "$4" "127.0.0.1:$2" "$3"
}

umask 077
python3 -c "
import json
print(json.dumps([{'project_id': 'bench', 'cluster_name': 'c%d' % (i % $clusters), 'database_name': 'db-%d' % i}
                  for i in range($keys)]))" >"$work/keys.data.json"

python3 -c "
import json
print(json.dumps([{'project_id': 'bench', 'cluster_name': 'm%d' % i, 'encryption_at_rest_provider': 'AWS'}
                  for i in range($master_keys)]))" >"$work/clusters.data.json"

# ghz_run OUT TOKEN PORT extra-json [method data-file]: one ghz (default: GetDatabaseKey over the keys); writes OUT.json.
ghz_run() {
  ATREST_BENCH_TOKEN="$2" python3 - "$1.config.json" "${6:-$work/keys.data.json}" "127.0.0.1:$3" "$4" \
    "${5:-atrest.v1.DatabaseKeyService.GetDatabaseKey}" <<'EOF'
import json, os, sys
path, data, host, extra, method = sys.argv[1:]
auth = {"authorization": "Bearer " + os.environ["ATREST_BENCH_TOKEN"]}
config = {"host": host, "call": method, "insecure": True, "connections": 4, "data": json.load(open(data)),
          "metadata": auth, "format": "json", "duration-stop": "wait"}
config.update(json.loads(extra))
json.dump(config, open(path, "w"))
EOF
  "$ghz" --config "$1.config.json" --output "$1.json" >"$1.log" 2>&1 || fail "ghz $1 failed; see $1.log"
}

bench_backend() { # single|galera
  local b=$1 out="$work/$1"; mkdir -p "$out"
  echo "[$b] starting the database" >&2
  "start_$b"
  start_replica "$b" a; local port_a=$replica_port pid_a=$replica_pid
  local admin; admin=$(cat "$out/admin-token")
  # KMS calls of the setup: the CMK's validation (what the periodic check repeats per project) and the 4 clusters'
  # master keys; the report takes the clusters' share (measured below on 400 more) away.
  local kms0; kms0=$(moto_kms_requests)
  call "$admin" "$port_a" atrest.v1.ProjectEncryptionService/UpdateProjectEncryption \
    "{\"project_encryption\": {\"project_id\": \"bench\", \"aws_kms\": {\"enabled\": true,
      \"customer_master_key_id\": \"$cmk\", \"region\": \"us-east-1\"}}}" >/dev/null
  for c in $(seq 0 $((clusters - 1))); do
    call "$admin" "$port_a" atrest.v1.ClusterEncryptionService/SetClusterEncryption \
      "{\"project_id\": \"bench\", \"cluster_name\": \"c$c\", \"encryption_at_rest_provider\": \"AWS\"}" >/dev/null
  done
  echo "$(( $(moto_kms_requests) - kms0 )) $clusters" >"$out/setup.kms"
  local consumer; consumer=$(call "$admin" "$port_a" atrest.v1.AccessService/CreateAccessToken \
    '{"name": "bench", "role": "KEY_CONSUMER", "project_ids": ["bench"], "ttl_days": 1}' |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])')

  echo "[$b] making $keys database keys (first use) through replica a" >&2
  local db0 svc0; kms0=$(moto_kms_requests) db0=$(cpu_ticks "${db_pids[@]}") svc0=$(cpu_ticks "$pid_a")
  ghz_run "$out/create" "$consumer" "$port_a" "{\"total\": $keys, \"concurrency\": 8}"
  echo "$(( $(moto_kms_requests) - kms0 )) $(( $(cpu_ticks "$pid_a") - svc0 )) $(( $(cpu_ticks "${db_pids[@]}") - db0 ))" >"$out/create.cost"
  db_sql -e "ANALYZE TABLE database_key, master_key, audit_record" >/dev/null
  db_sql -e "SELECT table_name, table_rows, data_length, index_length FROM information_schema.TABLES
             WHERE table_schema = 'atrest' AND table_name IN ('database_key', 'master_key', 'audit_record')" >"$out/tables.tsv"
  db_sql -e "SELECT 'database_key', COUNT(*) FROM database_key UNION ALL SELECT 'master_key', COUNT(*) FROM master_key
             UNION ALL SELECT 'audit_record', COUNT(*) FROM audit_record
             UNION ALL SELECT 'audit_record_bytes', SUM(LENGTH(actor) + LENGTH(action) + LENGTH(resource)
               + LENGTH(outcome) + LENGTH(detail) + 8 + 8 + 32) FROM audit_record" >"$out/counts.tsv"

  echo "[$b] starting replica b; its first release of each cluster's key is a master-key cache miss" >&2
  start_replica "$b" b; local port_b=$replica_port pid_b=$replica_pid
  # Its scheduled CMK check runs once at start (3 KMS calls per project, see validation.kms): let it pass first.
  sleep 10
  kms0=$(moto_kms_requests)
  for c in $(seq 0 $((clusters - 1))); do
    call "$consumer" "$port_b" atrest.v1.DatabaseKeyService/GetDatabaseKey \
      "{\"project_id\": \"bench\", \"cluster_name\": \"c$c\", \"database_name\": \"db-$c\"}" >/dev/null
  done
  echo "$(( $(moto_kms_requests) - kms0 )) $clusters" >"$out/cache-miss.kms"

  echo "[$b] warming up (every key once through each replica), then 1 replica at concurrency $concurrency for ${seconds}s" >&2
  # Every key once through each replica: b has read none of them yet (its release cache is cold), a is warm.
  ghz_run "$out/warmup-a" "$consumer" "$port_a" "{\"total\": $keys, \"concurrency\": 16}"
  ghz_run "$out/warmup-b" "$consumer" "$port_b" "{\"total\": $keys, \"concurrency\": 16}"
  db0=$(cpu_ticks "${db_pids[@]}") svc0=$(cpu_ticks "$pid_a")
  ghz_run "$out/one" "$consumer" "$port_a" "{\"duration\": \"${seconds}s\", \"concurrency\": $concurrency}"
  echo "$(( $(cpu_ticks "$pid_a") - svc0 )) $(( $(cpu_ticks "${db_pids[@]}") - db0 ))" >"$out/one.cpu"

  echo "[$b] 2 replicas, $((concurrency / 2)) each, for ${seconds}s" >&2
  db0=$(cpu_ticks "${db_pids[@]}") svc0=$(cpu_ticks "$pid_a" "$pid_b")
  ghz_run "$out/two-a" "$consumer" "$port_a" "{\"duration\": \"${seconds}s\", \"concurrency\": $((concurrency / 2))}" &
  local ghz_a=$!
  ghz_run "$out/two-b" "$consumer" "$port_b" "{\"duration\": \"${seconds}s\", \"concurrency\": $((concurrency / 2))}"
  wait "$ghz_a" || fail "ghz two-a failed"
  echo "$(( $(cpu_ticks "$pid_a" "$pid_b") - svc0 )) $(( $(cpu_ticks "${db_pids[@]}") - db0 ))" >"$out/two.cpu"

  echo "[$b] rotating the master key of cluster c0 ($((keys / clusters)) database keys)" >&2
  kms0=$(moto_kms_requests) db0=$(cpu_ticks "${db_pids[@]}") svc0=$(cpu_ticks "$pid_a" "$pid_b")
  local started; started=$(date +%s.%N)
  call "$admin" "$port_a" atrest.v1.ClusterEncryptionService/RotateMasterKey \
    '{"project_id": "bench", "cluster_name": "c0"}' >/dev/null
  for _ in $(seq 1 1200); do
    call "$admin" "$port_a" atrest.v1.ClusterEncryptionService/GetRotationStatus \
      '{"project_id": "bench", "cluster_name": "c0"}' >"$out/rotation.json"
    python3 -c "import json, sys; sys.exit(0 if not json.load(open('$out/rotation.json')).get('in_progress') else 1)" && break
    sleep 0.2
  done
  echo "$(( $(moto_kms_requests) - kms0 )) $(python3 -c "import time; print(round(time.time() - $started, 2))")" \
    "$(( $(cpu_ticks "$pid_a" "$pid_b") - svc0 )) $(( $(cpu_ticks "${db_pids[@]}") - db0 ))" >"$out/rotation.cost"

  echo "[$b] enabling $master_keys more clusters (a master key each)" >&2
  kms0=$(moto_kms_requests)
  ghz_run "$out/clusters" "$admin" "$port_a" "{\"total\": $master_keys, \"concurrency\": 4}" \
    atrest.v1.ClusterEncryptionService.SetClusterEncryption "$work/clusters.data.json"
  echo "$(( $(moto_kms_requests) - kms0 )) $master_keys" >"$out/clusters.kms"
  db_sql -e "ANALYZE TABLE master_key" >/dev/null
  db_sql -e "SELECT 'master_key', (SELECT COUNT(*) FROM master_key), data_length, index_length
             FROM information_schema.TABLES WHERE table_schema = 'atrest' AND table_name = 'master_key'" >"$out/master-keys.tsv"

  kill "$pid_a" "$pid_b"; wait "$pid_a" "$pid_b" 2>/dev/null || true
  if [ "$b" = single ]; then kill "$(cat "$work/single/mariadbd.pid")"; else "$repo/scripts/galera.sh" stop 2>/dev/null; fi
}

started=$(date -u +%FT%TZ)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
bench_backend single
bench_backend galera
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
python3 "$(dirname "$(readlink -f "$0")")/capacity-report.py" "$work" "$(getconf CLK_TCK)" "$started" \
  "key-service/bench/capacity.sh $seconds $keys" "$keys" "$clusters" "$concurrency" "$load_before" "$load_after" \
  "$(mariadbd --version | sed 's/  */ /g')" | tee "$results"
echo "written to $results; raw reports in $work" >&2
