#!/usr/bin/env bash
# Wall time of a master-key rotation (RotateMasterKey until GetRotationStatus says done) for clusters of
# 10,000 and 100,000 database keys on the test service (embedded MariaDB, LOCAL root key), against a
# plain JDBC batch update of the same rows on the same MariaDB in the same run, and the latency of
# other calls while it runs. See key-service/src/test/java/dev/atrest/keyservice/bench/RotationBenchmark.java.
# Usage: key-service/bench/rotation.sh [sizes=10000,100000] [rounds=3]   (needs Java 17 and Maven; Maven fetches
# what ~/.m2 lacks, such as surefire's JUnit provider on a fresh machine)
set -euo pipefail
sizes="${1:-10000,100000}"
rounds="${2:-3}"
repo="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
# Its own gRPC port, so the suite of another checkout can run beside it.
export ATREST_TEST_GRPC_PORT="${ATREST_TEST_GRPC_PORT:-19094}"
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "rotation benchmark: $tool not found on PATH (needs Java 17 and Maven)" >&2; exit 1; }
done
cd "$repo"
mkdir -p key-service/target && rm -f key-service/target/bench/rotation.txt
mvn -B -q -pl key-service -am test -Dtest=RotationBenchmark -Dtest.excludedGroups=jazzer -Dsurefire.failIfNoSpecifiedTests=false \
  -Datrest.bench.sizes="$sizes" -Datrest.bench.rounds="$rounds" >key-service/target/bench-rotation.log 2>&1 \
  || { tail -n 60 key-service/target/bench-rotation.log >&2; echo "benchmark failed; full log: key-service/target/bench-rotation.log" >&2; exit 1; }
cat key-service/target/bench/rotation.txt
