#!/usr/bin/env bash
# Warm start of the quick start: milliseconds from `java -jar quarkus-run.jar` (embedded MariaDB, LOCAL root key,
# a data directory an earlier start made) to its gRPC port accepting connections, for this checkout's packaged
# service and for a baseline build, interleaved run by run in the same run; prints both medians and their ratio.
# The first start of each (which makes the data directory) is not counted.
# Usage: key-service/bench/start-time.sh BASELINE_APP_DIR [runs=7]
#   BASELINE_APP_DIR: another build's key-service/target/quarkus-app (e.g. from a checkout of main, copied aside).
# Needs Java 17 and the packaged service (mvn -B -pl key-service -am package -DskipTests).
set -euo pipefail
fail() { echo "start-time benchmark: $*" >&2; exit 1; }
[[ $# -ge 1 ]] || fail "usage: $0 BASELINE_APP_DIR [runs=7]"
baseline="$(readlink -f "$1")"
runs="${2:-7}"
repo="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
current="$repo/key-service/target/quarkus-app"
command -v java >/dev/null || fail "java not found on PATH (needs Java 17)"
[[ -f "$current/quarkus-run.jar" ]] || fail "no packaged service: run mvn -B -pl key-service -am package -DskipTests"
[[ -f "$baseline/quarkus-run.jar" ]] || fail "no quarkus-run.jar in $baseline"
work="$repo/key-service/target/bench-start-time"
rm -rf "$work" && mkdir -p "$work"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Prints the milliseconds until the gRPC port of a service started from app dir $1 on data dir $2 accepts.
start_ms() {
  local app="$1" data="$2" grpc http pid start end
  grpc=$(free_port) http=$(free_port)
  start=$(date +%s%N)
  java -Datrest.local-root.enabled=true -Datrest.data-dir="$data" -Dquarkus.grpc.server.port="$grpc" \
    -Dquarkus.http.port="$http" -jar "$app/quarkus-run.jar" >>"$data.log" 2>&1 &
  pid=$!
  until (exec 3<>"/dev/tcp/127.0.0.1/$grpc") 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || fail "the service from $app exited; see $data.log"
    sleep 0.05
  done
  end=$(date +%s%N)
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  echo $(( (end - start) / 1000000 ))
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

first_current=$(start_ms "$current" "$work/current")
first_baseline=$(start_ms "$baseline" "$work/baseline")
now=() old=()
for ((i = 0; i < runs; i++)); do
  now+=($(start_ms "$current" "$work/current"))
  old+=($(start_ms "$baseline" "$work/baseline"))
done
m_now=$(median "${now[@]}") m_old=$(median "${old[@]}")
echo "warm start to gRPC port open, ms, median of $runs interleaved runs (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "  this checkout:  $m_now   (runs: ${now[*]}; first start on a new data directory: $first_current)"
echo "  baseline:       $m_old   (runs: ${old[*]}; first start on a new data directory: $first_baseline; $baseline)"
awk -v n="$m_now" -v o="$m_old" 'BEGIN {printf "  ratio this/baseline: %.2f\n", n/o}'
