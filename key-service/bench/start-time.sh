#!/usr/bin/env bash
# Warm start of the quick start: milliseconds from `java -jar quarkus-run.jar` (embedded MariaDB, LOCAL root key,
# a data directory an earlier start made) to Quarkus' "started in" line (every start-up step done), and the
# part of it spent on the embedded MariaDB (see database_ms), for this checkout's packaged service and for a baseline build, interleaved run by
# run in the same run; prints the medians and their ratios. The first start of each (which makes the data
# directory) is not counted.
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

source "$repo/key-service/bench/ports.sh"

# Starts the service from app dir $1 on data dir $2, logging to $3, until it says it started; prints the
# milliseconds to that line, then stops it.
start_ms() {
  local app="$1" data="$2" log="$3" grpc http pid start end
  grpc=$(free_port) http=$(free_port)
  : >"$log"
  start=$(date +%s%N)
  java -Datrest.local-root.enabled=true -Datrest.data-dir="$data" -Dquarkus.grpc.server.port="$grpc" \
    -Dquarkus.management.port="$http" -jar "$app/quarkus-run.jar" >"$log" 2>&1 &
  pid=$!
  until grep -q ' started in ' "$log"; do
    kill -0 "$pid" 2>/dev/null || fail "the service from $app exited; see $log"
    sleep 0.05
  done
  end=$(date +%s%N)
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  echo $(( (end - start) / 1000000 ))
}

# Milliseconds from the service's "starting the embedded MariaDB" line to Flyway's first connection, in log $1:
# the same measure for both builds (it also counts the part of Quarkus' boot before Flyway).
database_ms() {
  awk '/starting the embedded MariaDB/ {a = $1} /FlywayExecutor/ && a {b = $1; exit}
    function ms(t,  p) {split(t, p, /[:.]/); return ((p[1] * 60 + p[2]) * 60 + p[3]) * 1000 + p[4]}
    END {print ms(b) - ms(a)}' "$1"
}

# The embedded MariaDB's own start-up time as this build logs it (unpacking if any, to the first login).
own_database_ms() { awk '/the embedded MariaDB is up after/ {print $(NF - 1); exit}' "$1"; }

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

first_current=$(start_ms "$current" "$work/current" "$work/current-first.log")
first_baseline=$(start_ms "$baseline" "$work/baseline" "$work/baseline-first.log")
now=() old=() now_db=() old_db=() now_own=()
for ((i = 0; i < runs; i++)); do
  now+=($(start_ms "$current" "$work/current" "$work/current-$i.log"))
  now_db+=($(database_ms "$work/current-$i.log"))
  now_own+=($(own_database_ms "$work/current-$i.log"))
  old+=($(start_ms "$baseline" "$work/baseline" "$work/baseline-$i.log"))
  old_db+=($(database_ms "$work/baseline-$i.log"))
done
m_now=$(median "${now[@]}") m_old=$(median "${old[@]}")
d_now=$(median "${now_db[@]}") d_old=$(median "${old_db[@]}")
echo "warm start, ms, median of $runs interleaved runs (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "                  to 'started in'   of which the embedded MariaDB"
printf '  this checkout:  %-16s  %s\n' "$m_now" "$d_now"
printf '  baseline:       %-16s  %s\n' "$m_old" "$d_old"
awk -v n="$m_now" -v o="$m_old" -v dn="$d_now" -v do_="$d_old" \
  'BEGIN {printf "  ratio this/baseline: %.2f (whole start), %.2f (embedded MariaDB)\n", n/o, dn/do_}'
echo "  runs, this checkout: ${now[*]} (MariaDB: ${now_db[*]}; as it logs it: ${now_own[*]:-none})"
echo "    first start on a new data directory (unpacks, install-db): $first_current"
echo "  runs, baseline:      ${old[*]} (MariaDB: ${old_db[*]})"
echo "    first start on a new data directory: $first_baseline"
echo "  baseline: $baseline"
