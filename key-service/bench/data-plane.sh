#!/usr/bin/env bash
# The data plane under load, in one run against the packaged key service on loopback with authentication
# on: a project on an AWS CMK in moto, 4 encrypted clusters, 1,000 database keys made beforehand, and a
# KEY_CONSUMER token. ghz then drives
#   AccessService/WhoAmI               (authenticated no-op: the baseline) and
#   DatabaseKeyService/GetDatabaseKey  over the 1,000 databases (requests built beforehand, as the no-op's
#                                      empty one is), at concurrency 16 and 64,
#   both again at a fixed rate of half the best GetDatabaseKey rate, for their p99.
# Each pair runs in interleaved rounds (ABBA), so load from other users of the machine falls on both sides.
# For each case it also measures the CPU time the service, its MariaDB and ghz used per call. It counts moto's
# KMS requests while the keys are made and the load runs, samples the service's RSS, and prints the table it
# writes to key-service/bench/results/data-plane.md.
# Targets (issues 5 and 17): GetDatabaseKey rps >= 0.8 x WhoAmI rps at concurrency 16 and 64; at half rate
# GetDatabaseKey p99 <= 1.25 x WhoAmI's p99 (and <= 2 ms where the load generator has cores of its own);
# KMS calls <= master keys touched; RSS <= 300 MB.
# Usage: key-service/bench/data-plane.sh [seconds per case, default 20] [rounds per case, default 4]
#   BENCH_EXTRA_JVM  more options for the service JVM, e.g. a JFR recording:
#                    -XX:StartFlightRecording=delay=40s,duration=25s,filename=dp.jfr,settings=profile
#   BENCH_JAVA       the service's java launcher (default: java on PATH), e.g. a Temurin 25 for comparison
#   BENCH_GC         the service's collector instead of -XX:+UseSerialGC, e.g. "-XX:+UseG1GC", or "-XX:+UseZGC"
#                    (generational in JDK 25) with BENCH_JAVA pointing at a Temurin 25
#   BENCH_PIN=1      the service (and the MariaDB it starts) on CPU 1, ghz on CPU 0, in every case alike, so
#                    the load generator does not take turns with the service on one core (2-core machine)
# Needs Java 17, Go (installs ghz into .tools/bin once), scripts/test-peers/install.sh (moto, grpcurl), and the
# packaged service (built here with Maven when key-service/target/quarkus-app is missing).
set -euo pipefail
seconds="${1:-20}"
rounds="${2:-4}"
repo="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
tools="$repo/.tools"
ghz="$tools/bin/ghz"
grpcurl="$tools/bin/grpcurl"
moto_server="$tools/venv/bin/moto_server"
jar="$repo/key-service/target/quarkus-app/quarkus-run.jar"
work="$repo/key-service/target/bench-data-plane"
results="$repo/key-service/bench/results/data-plane.md"
ghz_version=v0.120.0
clusters=4
databases=1000

source "$repo/key-service/bench/service-jvm.sh"  # java_bin and jvm_flags (BENCH_JAVA, BENCH_GC)

service_cpus=() ghz_cpus=()
if [ "${BENCH_PIN:-0}" = 1 ]; then service_cpus=(taskset -c 1) ghz_cpus=(taskset -c 0); fi

fail() { echo "data-plane benchmark: $*" >&2; exit 1; }
source "$repo/key-service/bench/ports.sh"

for tool in java python3; do command -v "$tool" >/dev/null || fail "$tool not found on PATH"; done
[ "${BENCH_PIN:-0}" = 1 ] && { command -v taskset >/dev/null || fail "BENCH_PIN=1 needs taskset (util-linux)"; }
[ -x "$moto_server" ] && [ -x "$grpcurl" ] || fail "moto or grpcurl missing: run scripts/test-peers/install.sh"
if [ ! -x "$ghz" ]; then
  command -v go >/dev/null || fail "ghz missing and no Go on PATH to install it (Go 1.22 or later)"
  echo "installing ghz $ghz_version into $tools/bin" >&2
  GOBIN="$tools/bin" go install "github.com/bojand/ghz/cmd/ghz@$ghz_version"
fi
if [ ! -f "$jar" ]; then
  echo "packaging the key service" >&2
  command -v mvn >/dev/null || fail "no packaged service and no Maven on PATH to build it"
  (cd "$repo" && mvn -B -q -pl key-service -am package -DskipTests)
fi

rm -rf "$work" && mkdir -p "$work/ks" "$(dirname "$results")"
pids=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done' EXIT

moto_port=$(free_port)
"$moto_server" -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 &
pids+=($!)
await_port "$moto_port" 30 "${pids[-1]}" || fail "moto did not start; see $work/moto.log"
cmk=$("$tools/venv/bin/python" -c "
import boto3
kms = boto3.client('kms', endpoint_url='http://127.0.0.1:$moto_port', region_name='us-east-1',
                   aws_access_key_id='bench', aws_secret_access_key='bench')
print(kms.create_key(Description='atrest data-plane benchmark')['KeyMetadata']['Arn'])")

grpc_port=$(free_port)
MALLOC_ARENA_MAX=2 "${service_cpus[@]}" "$java_bin" "${jvm_flags[@]}" ${BENCH_EXTRA_JVM:-} -Xlog:gc:file="$work/gc.log" -Datrest.data-dir="$work/ks" -Dquarkus.grpc.server.port="$grpc_port" \
  -Dquarkus.management.port="$(free_port)" -Datrest.aws.endpoint-override="http://127.0.0.1:$moto_port" \
  -Daws.accessKeyId=bench -Daws.secretAccessKey=bench -Daws.region=us-east-1 \
  -jar "$jar" >"$work/key-service.log" 2>&1 &
service_pid=$!
pids+=("$service_pid")
await_port "$grpc_port" 300 "$service_pid" || fail "key service did not start; see $work/key-service.log"
for _ in $(seq 1 120); do [ -s "$work/ks/bootstrap-admin-token" ] && break; sleep 0.5; done  # written just after the port opens
[ -s "$work/ks/bootstrap-admin-token" ] || fail "no bootstrap admin token in $work/ks (authentication off?)"
admin_token=$(cat "$work/ks/bootstrap-admin-token")

# Tokens go to grpcurl and ghz in files and environment variables only, never on a command line.
call() { # token method json
  ATREST_BENCH_TOKEN="$1" "$grpcurl" -plaintext -format-error -H "authorization: Bearer \${ATREST_BENCH_TOKEN}" \
    -expand-headers -d "$3" "127.0.0.1:$grpc_port" "$2"
}
call "$admin_token" atrest.v1.ProjectEncryptionService/UpdateProjectEncryption \
  "{\"project_encryption\": {\"project_id\": \"bench\", \"aws_kms\": {\"enabled\": true,
    \"customer_master_key_id\": \"$cmk\", \"region\": \"us-east-1\"}}}" >/dev/null
for c in $(seq 0 $((clusters - 1))); do
  call "$admin_token" atrest.v1.ClusterEncryptionService/SetClusterEncryption \
    "{\"project_id\": \"bench\", \"cluster_name\": \"c$c\", \"encryption_at_rest_provider\": \"AWS\"}" >/dev/null
done
consumer_token=$(call "$admin_token" atrest.v1.AccessService/CreateAccessToken \
  '{"name": "bench", "role": "KEY_CONSUMER", "project_ids": ["bench"], "ttl_days": 1}' |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])')

# One ghz configuration per case, in files only this user can read (they hold the token).
umask 077
# The requests, built once: ghz sends request i as element i mod 1,000 of this array, already parsed (a
# template would have ghz render and parse every request anew: CPU on these two cores the no-op's empty
# request does not cost).
python3 -c "
import json
print(json.dumps([{'project_id': 'bench', 'cluster_name': 'c%d' % (i % $clusters), 'database_name': 'db-%d' % i}
                  for i in range($databases)]))" >"$work/keys.data.json"
key_data="@$work/keys.data.json"
ghz_case() { # name call data extra-json
  ATREST_BENCH_TOKEN="$consumer_token" python3 - "$work/$1.config.json" "$2" "$3" "$4" "127.0.0.1:$grpc_port" <<'EOF'
import json, os, sys
path, call, data, extra, host = sys.argv[1:]
auth = {"authorization": "Bearer " + os.environ["ATREST_BENCH_TOKEN"]}
data = json.load(open(data[1:])) if data.startswith("@") else json.loads(data)  # "@file": the data in a file
config = {"host": host, "call": call, "insecure": True, "connections": 4, "data": data,
          "metadata": auth, "reflect-metadata": auth, "format": "json",
          "duration-stop": "wait"}  # finish the calls in flight at the end instead of counting them as errors
config.update(json.loads(extra))
json.dump(config, open(path, "w"))
EOF
  local service_before db_before
  service_before=$(cpu_ticks "$service_pid") db_before=$(cpu_ticks "$(cat "$work/ks/mariadb.pid")")
  # ghz in a subshell of its own, whose `times` then reports ghz's CPU time (its second line: children).
  local ghz_times
  ghz_times=$( ("${ghz_cpus[@]}" "$ghz" --config "$work/$1.config.json" --output "$work/$1.json" >"$work/$1.log" 2>&1 \
    && times) | tail -1) || fail "ghz case $1 failed; see $work/$1.log"
  echo "$(($(cpu_ticks "$service_pid") - service_before)) $(($(cpu_ticks "$(cat "$work/ks/mariadb.pid")") - db_before))" \
    "$ghz_times" >"$work/$1.cpu"
}
# CPU time (user + system, in clock ticks) a process used so far. Per call, it shows what a call costs where
# other processes on the machine make throughput unsteady; compare cases of equal rate (the half-rate pair),
# since the service's background work per second weighs more per call at a lower rate.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
moto_kms_requests() { grep -c '"POST / HTTP' "$work/moto.log" || true; }

kms_before=$(moto_kms_requests)
started=$(date -u +%FT%TZ)
echo "making $databases database keys over $clusters clusters" >&2
ghz_case create atrest.v1.DatabaseKeyService.GetDatabaseKey "$key_data" "{\"total\": $databases, \"concurrency\": 8}"
echo "warming up" >&2
ghz_case warmup-whoami atrest.v1.AccessService.WhoAmI '{}' '{"duration": "10s", "concurrency": 16}'
ghz_case warmup-keys atrest.v1.DatabaseKeyService.GetDatabaseKey "$key_data" '{"duration": "10s", "concurrency": 16}'

while kill -0 "$service_pid" 2>/dev/null; do ps -o rss= -p "$service_pid" >>"$work/rss.kb" || true; sleep 0.5; done &
pids+=($!)
# Each comparison runs in interleaved rounds, no-op and GetDatabaseKey taking turns (ABBA: whoami, keys, keys,
# whoami, ...), so that the builds of other users of this shared machine fall on both sides alike; the report
# pools each side's rounds (calls / seconds, and the percentiles of every call's latency).
slice=$(python3 -c "print(max(1.0, $seconds / $rounds))")
pair() { # name-suffix extra-json-for-both
  for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) = 1 ]; then order=(whoami keys); else order=(keys whoami); fi
    for side in "${order[@]}"; do
      if [ "$side" = whoami ]; then
        ghz_case "whoami-$1-r$round" atrest.v1.AccessService.WhoAmI '{}' "$2"
      else
        ghz_case "keys-$1-r$round" atrest.v1.DatabaseKeyService.GetDatabaseKey "$key_data" "$2"
      fi
    done
  done
}
for concurrency in 16 64; do
  echo "WhoAmI and GetDatabaseKey at concurrency $concurrency, $rounds interleaved rounds of ${slice}s each" >&2
  pair "c$concurrency" "{\"duration\": \"${slice}s\", \"concurrency\": $concurrency}"
done
half_rate=$(python3 -c "
import json
print(max(1, int(max(sum(json.load(open('$work/keys-c%d-r%d.json' % (c, r)))['count'] for r in range(1, $rounds + 1))
                     / ($rounds * $slice) for c in (16, 64)) / 2)))")
echo "GetDatabaseKey and WhoAmI at $half_rate/s, $rounds interleaved rounds of ${slice}s each" >&2
pair half-rate "{\"duration\": \"${slice}s\", \"concurrency\": 16, \"rps\": $half_rate}"
kms_calls=$(($(moto_kms_requests) - kms_before))

python3 "$(dirname "$(readlink -f "$0")")/data-plane-report.py" "$work" "$kms_calls" "$clusters" "$databases" \
  "$(getconf CLK_TCK)" "$started" "${BENCH_PIN:+BENCH_PIN=$BENCH_PIN }key-service/bench/data-plane.sh $seconds $rounds" \
  "MALLOC_ARENA_MAX=2 ${jvm_flags[*]} ${BENCH_EXTRA_JVM:-} ($("$java_bin" -version 2>&1 | head -1))" "$rounds" | tee "$results"
echo "written to $results; raw ghz reports in $work" >&2
