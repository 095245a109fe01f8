#!/usr/bin/env bash
# The whole test suite: unit tests, @QuarkusTest gRPC tests on an embedded MariaDB, end-to-end tests
# against real peers (moto's KMS/STS, grpcurl, OpenTofu), the fault-injection and fuzzing parts at their
# bounded size, and, when ATREST_EXTERNAL_MARIADB_URL names an external MariaDB (CI starts Debian's), the
# key-service suite once more against that database. Ends with the leak scan and the fault results
# (scripts/fault-report.sh; target/fault-suite/results.md).
#
#   ATREST_EXTERNAL_MARIADB_URL       e.g. jdbc:mariadb://127.0.0.1:3306/atrest_ci   (optional)
#   ATREST_EXTERNAL_MARIADB_USER / _PASSWORD                                         (optional)
#   extra arguments go to Maven (scripts/fault-suite.sh passes -Dfault.full=true)
#
# scripts/test.sh --fast [maven args]: the inner loop, under five minutes. Unit tests and the in-process gRPC tests
# (@QuarkusTest on the embedded MariaDB, with the quick end-to-end tests against moto and grpcurl): Maven's test
# phase. Not the failsafe ITs (OpenTofu/Terraform acceptance, fault and replica tests on the packaged service), the
# fuzz tests, the external MariaDB pass or the fault report, nor the few tests in scripts/test-fast.excludes that
# pay a start of their own (MariaDB servers, a Quarkus profile).
set -euo pipefail
repo_root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$repo_root"
started=$SECONDS

if [[ "${1:-}" == "--fast" ]]; then
  shift
  scripts/test-peers/install.sh
  exec env -u ATREST_TEST_JDBC_URL mvn -B test -Dsurefire.excludesFile="$repo_root/scripts/test-fast.excludes" "$@"
fi

scripts/test-peers/install.sh

# Figures and canaries of an earlier run must not count in this one.
rm -rf target/test-logs target/fault-suite ./*/target/fault-results ./*/target/leak-canaries \
  examples/*/target/fault-results examples/*/target/leak-canaries
mkdir -p target/test-logs

# The first pass always runs on the embedded MariaDB, whatever the caller's environment says.
env -u ATREST_TEST_JDBC_URL mvn -B install "$@" 2>&1 | tee target/test-logs/embedded.log

# Generated docs (Terraform, API reference) must match what is committed; buf lint + breaking on proto/ (seconds).
scripts/docs.sh --check 2>&1 | tee target/test-logs/docs.log

# The install above only replays the fuzz tests' committed inputs; this fuzzes each for a bounded time.
scripts/fuzz.sh "${FUZZ_SECONDS:-15}"

if [[ -n "${ATREST_EXTERNAL_MARIADB_URL:-}" ]]; then
  echo "== key-service suite again, on the external MariaDB at $ATREST_EXTERNAL_MARIADB_URL" >&2
  ATREST_TEST_JDBC_URL="$ATREST_EXTERNAL_MARIADB_URL" \
  ATREST_TEST_JDBC_USER="${ATREST_EXTERNAL_MARIADB_USER:-root}" \
  ATREST_TEST_JDBC_PASSWORD="${ATREST_EXTERNAL_MARIADB_PASSWORD:-}" \
    mvn -B -pl key-service test "$@" 2>&1 | tee target/test-logs/external.log
  scripts/test-peers/dump-external-db.sh target/test-logs/external-db.sql
fi

scripts/fault-report.sh "${FAULT_SUITE_MODE:-bounded}" "${FAULT_SUITE_COMMAND:-scripts/test.sh${*:+ $*}}" \
  $((SECONDS - started))
