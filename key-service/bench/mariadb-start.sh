#!/usr/bin/env bash
# MariaDB with atrest as its key source, against MariaDB's own file_key_management plugin, in one run:
#  1. Start time: a Debian mariadbd (own datadir, socket and port under key-service/target, never the system
#     one) holding 100 encrypted InnoDB tables under 10 key ids (ENCRYPTION_KEY_ID 1..10), started and then
#     queried once so that every table is opened (InnoDB opens tablespaces lazily after a restart). With
#     atrest, hashicorp_key_management reads the keys from atrest's Vault-KV-v2 endpoint; with the file
#     plugin, from a key file with the same 10 ids. Rounds interleaved (ABBA), medians and their ratio.
#     Target (issue 16): atrest <= 1.5 x the file plugin.
#  2. Key fetches per start: atrest's counter atrest_vault_key_reads_total (management port, /q/metrics)
#     before and after each start. Target: <= key ids x versions in use (10 x 1 here), i.e. the plugin caches.
#  3. Key reads per second: the endpoint (VaultKeyLoad.java, N HTTP/1.1 clients) against GetDatabaseKey (ghz)
#     over the same 10 database keys, same concurrency and duration, interleaved.
# Prints the figures and writes them to key-service/bench/results/mariadb-start.md.
# Usage: key-service/bench/mariadb-start.sh [rounds=7] [load seconds=10 (0: no load part)] [concurrency=16]
#   BENCH_SOURCES="file"        only the file_key_management half (no key service needed)
#   BENCH_ENCRYPT_TMP_FILES=OFF  MariaDB's encrypt_tmp_files off (on by default): the plugin then reads key id 2
#                                once per start instead of twice
# Needs Debian's mariadb-server and mariadb-plugin-hashicorp-key-management (10.11), Java 17, Python 3, curl,
# grpcurl in .tools/bin (scripts/test-peers/install.sh), Go to install ghz there once, and the packaged
# service (built here with Maven when key-service/target/quarkus-app is missing).
set -euo pipefail
rounds="${1:-7}"
load_seconds="${2:-10}"
concurrency="${3:-16}"
sources="${BENCH_SOURCES:-atrest file}"
tmp_files="${BENCH_ENCRYPT_TMP_FILES:-ON}"
repo="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
bench="$repo/key-service/bench"
tools="$repo/.tools"
jar="$repo/key-service/target/quarkus-app/quarkus-run.jar"
work="$repo/key-service/target/bench-mariadb"   # not under /tmp: the embedded MariaDB cleans data dirs there
results="$bench/results/mariadb-start.md"
tables=100 key_ids=10 project=bench cluster=mariadb

fail() { echo "mariadb-start benchmark: $*" >&2; exit 1; }
source "$repo/key-service/bench/ports.sh"
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

for tool in mariadbd mariadb-install-db mariadb mariadb-admin python3 curl; do
  command -v "$tool" >/dev/null || fail "$tool not found (apt-get install mariadb-server curl)"
done
plugin_dir=$(mariadbd --help --verbose 2>/dev/null | awk '$1 == "plugin-dir" {print $2}')
[ -f "${plugin_dir:-/usr/lib/mysql/plugin}/file_key_management.so" ] || fail "no file_key_management plugin in $plugin_dir"
case " $sources " in *" atrest "*)
  [ -f "$plugin_dir/hashicorp_key_management.so" ] ||
    fail "no hashicorp_key_management plugin: apt-get install mariadb-plugin-hashicorp-key-management"
  for tool in java; do command -v "$tool" >/dev/null || fail "$tool not found (needs Java 17)"; done
  [ -x "$tools/bin/grpcurl" ] || fail "grpcurl missing in $tools/bin: run scripts/test-peers/install.sh"
  if [ ! -x "$tools/bin/ghz" ]; then
    command -v go >/dev/null || fail "ghz missing and no Go on PATH to install it (Go 1.22 or later)"
    echo "installing ghz v0.120.0 into $tools/bin" >&2
    GOBIN="$tools/bin" go install github.com/bojand/ghz/cmd/ghz@v0.120.0
  fi
  if [ ! -f "$jar" ]; then
    echo "packaging the key service" >&2
    (cd "$repo" && mvn -B -q -pl key-service -am package -DskipTests)
  fi;;
esac

rm -rf "$work" && mkdir -p "$work" "$(dirname "$results")"
chmod 700 "$work"
umask 077   # the token and the key file live in here
pids=()
cleanup() {
  for dir in "$work"/mariadb-*; do
    [ -f "$dir/mariadbd.pid" ] && kill "$(cat "$dir/mariadbd.pid")" 2>/dev/null || true
  done
  for pid in ${pids[@]+"${pids[@]}"}; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

# --- atrest: the packaged service (embedded MariaDB, LOCAL root key) with the Vault API on -------------------
start_key_service() {
  grpc_port=$(free_port) vault_port=$(free_port) management_port=$(free_port)
  java -Datrest.local-root.enabled=true -Datrest.data-dir="$work/key-service" \
    -Dquarkus.grpc.server.port="$grpc_port" -Datrest.vault-api.enabled=true -Datrest.vault-api.port="$vault_port" \
    -Dquarkus.management.port="$management_port" -jar "$jar" >"$work/key-service.log" 2>&1 &
  service_pid=$!
  pids+=("$service_pid")
  await_port "$grpc_port" 300 "$service_pid" || fail "key service did not start; see $work/key-service.log"
  await_port "$vault_port" 60 "$service_pid" || fail "the Vault API did not open port $vault_port; see $work/key-service.log"
  for _ in $(seq 1 100); do [ -s "$work/key-service/bootstrap-admin-token" ] && break; sleep 0.1; done
  admin_token=$(cat "$work/key-service/bootstrap-admin-token")
  call() { # token method json
    ATREST_BENCH_TOKEN="$1" "$tools/bin/grpcurl" -plaintext -format-error -expand-headers \
      -H "authorization: Bearer \${ATREST_BENCH_TOKEN}" -d "$3" "127.0.0.1:$grpc_port" "$2"
  }
  call "$admin_token" atrest.v1.ProjectEncryptionService/UpdateProjectEncryption \
    "{\"project_encryption\": {\"project_id\": \"$project\", \"local_key\": {\"enabled\": true}}}" >/dev/null
  call "$admin_token" atrest.v1.ClusterEncryptionService/SetClusterEncryption \
    "{\"project_id\": \"$project\", \"cluster_name\": \"$cluster\", \"encryption_at_rest_provider\": \"LOCAL\"}" >/dev/null
  call "$admin_token" atrest.v1.AccessService/CreateAccessToken \
    "{\"name\": \"bench-mariadb\", \"role\": \"KEY_CONSUMER\", \"project_ids\": [\"$project\"], \"ttl_days\": 1}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])' >"$work/consumer-token"
  vault_url="http://127.0.0.1:$vault_port/v1/atrest/$project/$cluster"
}

# Sum of atrest_vault_key_reads_total over its outcomes (Prometheus text format).
key_reads() {
  curl -fsS "http://127.0.0.1:$management_port/q/metrics" |
    awk '/^atrest_vault_key_reads_total/ {sum += $NF} END {printf "%d\n", sum}'
}

# --- MariaDB ------------------------------------------------------------------------------------------------
# Writes $work/mariadb-$1/my.cnf for key source $1 (atrest|file); the same settings but the key source.
write_cnf() {
  local dir="$work/mariadb-$1"
  mkdir -p "$dir"
  cat >"$dir/my.cnf" <<EOF
[client]
socket=$dir/mariadbd.sock
user=root

[mariadbd]
datadir=$dir/data
socket=$dir/mariadbd.sock
pid-file=$dir/mariadbd.pid
log-error=$dir/error.log
port=$(free_port)
bind-address=127.0.0.1
innodb_buffer_pool_size=128M
innodb_log_file_size=32M
innodb_encrypt_tables=FORCE
innodb_encrypt_log=ON
encrypt_tmp_files=$tmp_files
aria_encrypt_tables=ON
innodb_encryption_threads=1
innodb_encryption_rotate_key_age=1
EOF
  if [ "$1" = atrest ]; then
    cat >>"$dir/my.cnf" <<EOF
plugin_load_add=hashicorp_key_management
hashicorp-key-management-vault-url=$vault_url
hashicorp-key-management-token=$(cat "$work/consumer-token")
EOF
  else
    python3 -c "
import os
for key_id in range(1, $key_ids + 1):
    print('%d;%s' % (key_id, os.urandom(32).hex()))" >"$dir/keys.txt"
    cat >>"$dir/my.cnf" <<EOF
plugin_load_add=file_key_management
file_key_management_filename=$dir/keys.txt
EOF
  fi
}

sql() { mariadb --defaults-file="$work/mariadb-$1/my.cnf" --protocol=socket -N -B -e "$2"; }

# Starts mariadbd for source $1 and waits until it answers; prints the milliseconds that took.
start_mariadb() {
  local dir="$work/mariadb-$1" started
  started=$(now_ms)
  mariadbd --defaults-file="$dir/my.cnf" --user="$(id -un)" >>"$dir/mariadbd.out" 2>&1 &
  for _ in $(seq 1 1200); do
    sql "$1" 'SELECT 1' >/dev/null 2>&1 && { echo $(($(now_ms) - started)); return 0; }
    kill -0 $! 2>/dev/null || break
    sleep 0.02
  done
  fail "mariadbd ($1) did not start; see $dir/error.log"
}

stop_mariadb() {
  local dir="$work/mariadb-$1" pid
  pid=$(cat "$dir/mariadbd.pid")
  mariadb-admin --defaults-file="$dir/my.cnf" --protocol=socket shutdown
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
}

# One statement that reads a row of every table: each tablespace is opened and one of its pages decrypted.
touch_all="SELECT SUM(n) FROM ($(for i in $(seq 1 $tables); do
  printf '%sSELECT COUNT(*) AS n FROM bench.t%03d' "$([ "$i" -gt 1 ] && echo ' UNION ALL ')" "$i"; done)) AS every_table"

prepare() {
  local dir="$work/mariadb-$1"
  write_cnf "$1"
  mariadb-install-db --defaults-file="$dir/my.cnf" --user="$(id -un)" --auth-root-authentication-method=normal \
    --skip-test-db >"$dir/install.log" 2>&1 || fail "mariadb-install-db ($1) failed; see $dir/install.log"
  start_mariadb "$1" >/dev/null
  { echo "CREATE DATABASE bench;"
    for i in $(seq 1 $tables); do
      printf 'CREATE TABLE bench.t%03d (id INT PRIMARY KEY, v VARCHAR(64)) ENCRYPTED=YES ENCRYPTION_KEY_ID=%d;\n' \
        "$i" $(((i - 1) % key_ids + 1))
      printf "INSERT INTO bench.t%03d VALUES (1, 'row of table %d');\n" "$i" "$i"
    done; } | mariadb --defaults-file="$dir/my.cnf" --protocol=socket
  [ "$(sql "$1" "SELECT COUNT(DISTINCT CURRENT_KEY_ID) FROM information_schema.INNODB_TABLESPACES_ENCRYPTION
    WHERE NAME LIKE 'bench/%' AND ENCRYPTION_SCHEME = 1")" = "$key_ids" ] || fail "tables of $1 not under $key_ids key ids"
  stop_mariadb "$1"
}

# One start of source $1: "ready_ms open_ms key_reads" (open_ms: start and the query that opens every table).
measure_start() {
  local before=0 ready opened started
  [ "$1" = atrest ] && before=$(key_reads)
  started=$(now_ms)
  ready=$(start_mariadb "$1")
  [ "$(sql "$1" "$touch_all")" = "$tables" ] || fail "$1: not every table read back"
  opened=$(($(now_ms) - started))
  stop_mariadb "$1"
  echo "$ready $opened $([ "$1" = atrest ] && echo $(($(key_reads) - before)) || echo -)"
}

case " $sources " in *" atrest "*) echo "starting the key service (LOCAL root key, Vault API on)" >&2; start_key_service;; esac
for source in $sources; do echo "preparing MariaDB ($source): $tables tables under $key_ids key ids" >&2; prepare "$source"; done
declare -A ready opened reads
order=($sources)
for ((round = 0; round < rounds; round++)); do
  # ABBA: each source goes first in half the rounds, so neither always profits from the other's warm caches.
  if ((round % 2)); then run_order=($(printf '%s\n' "${order[@]}" | tac)); else run_order=("${order[@]}"); fi
  for source in "${run_order[@]}"; do
    measured=$(measure_start "$source") || exit 1
    read -r r o k <<<"$measured"
    ready[$source]+="$r " opened[$source]+="$o " reads[$source]+="$k "
    echo "round $((round + 1)) $source: ready ${r} ms, every table opened ${o} ms, key reads at atrest: $k" >&2
  done
done

# --- key reads per second: the endpoint against GetDatabaseKey --------------------------------------------
load_rows=()
[ "$load_seconds" -gt 0 ] && case " $sources " in *" atrest "*)
  python3 -c "
import json
print(json.dumps([{'project_id': '$project', 'cluster_name': '$cluster', 'database_name': str(i)}
                  for i in range(1, $key_ids + 1)]))" >"$work/keys.data.json"
  cpu_ticks() { awk '{print $14 + $15}' "/proc/$service_pid/stat"; }
  # The service's CPU per call (µs): what a key read costs atrest, whatever the load generator costs.
  cpu_per_call() { # ticks-before calls
    python3 -c "print('%.0f' % (($(cpu_ticks) - $1) * 1e6 / $(getconf CLK_TCK) / max(1, $2)))"
  }
  ghz_run() { # seconds output
    ATREST_BENCH_TOKEN=$(cat "$work/consumer-token") python3 - "$work/ghz.config.json" "$1" <<EOF
import json, os, sys
auth = {"authorization": "Bearer " + os.environ["ATREST_BENCH_TOKEN"]}
json.dump({"host": "127.0.0.1:$grpc_port", "call": "atrest.v1.DatabaseKeyService.GetDatabaseKey", "insecure": True,
           "connections": 4, "concurrency": $concurrency, "duration": sys.argv[2] + "s", "duration-stop": "wait",
           "data": json.load(open("$work/keys.data.json")), "metadata": auth, "reflect-metadata": auth,
           "format": "json"}, open(sys.argv[1], "w"))
EOF
    "$tools/bin/ghz" --config "$work/ghz.config.json" --output "$2" >/dev/null 2>&1 || fail "ghz failed"
    python3 -c "
import json
r = json.load(open('$2'))
lat = {d['percentage']: d['latency'] / 1e6 for d in r.get('latencyDistribution') or []}
ok = r.get('statusCodeDistribution', {}).get('OK', 0)
print('%.1f %.2f %.2f %d %d' % (r['rps'], lat.get(50, 0), lat.get(99, 0), ok, r['count'] - ok))"
  }
  http_run() { # seconds
    java "$bench/VaultKeyLoad.java" "$vault_url" "$work/consumer-token" "$concurrency" "$1" \
      "$(seq -s, 1 $key_ids)" >"$work/http.json" || fail "VaultKeyLoad failed"
    python3 -c "
import json
r = json.load(open('$work/http.json'))
print('%.1f %.2f %.2f %d %d' % (r['rps'], r['p50_ms'], r['p99_ms'], r['ok'], r['non_200'] + r['failed']))"
  }
  echo "warming up both paths (5 s each)" >&2
  ghz_run 5 "$work/ghz-warmup.json" >/dev/null
  http_run 5 >/dev/null
  for ((round = 0; round < 3; round++)); do
    echo "load round $((round + 1)): GetDatabaseKey, then the endpoint, ${load_seconds}s each at concurrency $concurrency" >&2
    before=$(cpu_ticks); row=$(ghz_run "$load_seconds" "$work/ghz-$round.json")
    load_rows+=("grpc $row $(cpu_per_call "$before" "$(awk '{print $4 + $5}' <<<"$row")")")
    before=$(cpu_ticks); row=$(http_run "$load_seconds")
    load_rows+=("http $row $(cpu_per_call "$before" "$(awk '{print $4 + $5}' <<<"$row")")")
  done;;
esac

# --- report -------------------------------------------------------------------------------------------------
{
  echo "# MariaDB start with atrest as key source"
  echo
  echo "$(date -u +%FT%TZ), \`key-service/bench/mariadb-start.sh $rounds $load_seconds $concurrency\`" \
    "${BENCH_SOURCES:+(BENCH_SOURCES=\"$BENCH_SOURCES\")}"
  echo
  echo "$(mariadbd --version | sed 's/  */ /g'); $tables InnoDB tables (ENCRYPTED=YES) under key ids 1..$key_ids," \
    "innodb_encrypt_tables=FORCE, innodb_encrypt_log, encrypt_tmp_files=$tmp_files, aria_encrypt_tables, 1 encryption thread;" \
    "$rounds rounds, interleaved ABBA; load average before the report: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| key source | ready ms (median) | every table opened ms (median) | key reads at atrest per start | runs (opened ms) |"
  echo "|---|---|---|---|---|"
  for source in $sources; do
    # shellcheck disable=SC2086
    printf '| %s | %s | %s | %s | %s |\n' \
      "$([ "$source" = atrest ] && echo "atrest (hashicorp_key_management)" || echo "file_key_management")" \
      "$(median ${ready[$source]})" "$(median ${opened[$source]})" \
      "$([ "$source" = atrest ] && echo "${reads[$source]}" | tr ' ' '\n' | grep . | sort -n | uniq -c |
        awk '{printf "%s%s (x%d)", sep, $2, $1; sep=", "}' || echo "n/a")" "${opened[$source]% }"
  done
  echo
  if [[ -n "${opened[atrest]:-}" && -n "${opened[file]:-}" ]]; then
    # shellcheck disable=SC2086
    awk -v a="$(median ${opened[atrest]})" -v f="$(median ${opened[file]})" \
        -v ra="$(median ${ready[atrest]})" -v rf="$(median ${ready[file]})" 'BEGIN {
      printf "| target | measured | |\n|---|---|---|\n"
      printf "| start + every table opened, atrest / file plugin <= 1.5 | %.2f | %s |\n", a / f, (a / f <= 1.5) ? "met" : "MISSED"
      printf "| (start until the first query answers, atrest / file plugin) | %.2f | |\n", ra / rf }'
    # shellcheck disable=SC2086
    max_reads=$(printf '%s\n' ${reads[atrest]} | sort -n | tail -1)
    printf '| key reads at atrest per start <= key ids x versions in use (%d x 1) | at most %s | %s |\n' \
      "$key_ids" "$max_reads" "$([ "$max_reads" -le "$key_ids" ] && echo met || echo MISSED)"
  fi
  if [ ${#load_rows[@]} -gt 0 ]; then
    echo
    echo "Key reads per second over the same $key_ids keys, concurrency $concurrency, ${load_seconds} s per case," \
      "3 rounds interleaved (after 5 s of warm-up each): GetDatabaseKey with ghz (4 connections), the Vault endpoint" \
      "with VaultKeyLoad.java (java.net.http, one HTTP/1.1 connection per client); both load generators share the" \
      "machine's 2 cores with the service."
    echo
    echo "| path | rps | p50 ms | p99 ms | ok | other | service CPU µs/call |"
    echo "|---|---|---|---|---|---|---|"
    for row in "${load_rows[@]}"; do
      read -r path rps p50 p99 ok other cpu <<<"$row"
      printf '| %s | %s | %s | %s | %s | %s | %s |\n' \
        "$([ "$path" = grpc ] && echo "GetDatabaseKey (gRPC)" || echo "Vault KV v2 read (HTTP)")" "$rps" "$p50" "$p99" "$ok" "$other" "$cpu"
    done
    grpc_rps=$(printf '%s\n' "${load_rows[@]}" | awk '$1 == "grpc" {print $2}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    http_rps=$(printf '%s\n' "${load_rows[@]}" | awk '$1 == "http" {print $2}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    echo
    grpc_cpu=$(printf '%s\n' "${load_rows[@]}" | awk '$1 == "grpc" {print $7}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    http_cpu=$(printf '%s\n' "${load_rows[@]}" | awk '$1 == "http" {print $7}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    awk -v h="$http_rps" -v g="$grpc_rps" -v hc="$http_cpu" -v gc="$grpc_cpu" 'BEGIN {
      printf "Medians: the endpoint %.0f/s, GetDatabaseKey %.0f/s; ratio %.2f. ", h, g, h / g
      printf "Service CPU per call: the endpoint %d µs, GetDatabaseKey %d µs; ratio %.2f.\n", hc, gc, hc / gc}'
  fi
} | tee "$results"
echo "written to $results; logs and data in $work" >&2
