#!/usr/bin/env bash
# The whole test suite: unit tests, @QuarkusTest gRPC tests on an embedded MariaDB, end-to-end tests
# against real peers (moto's KMS/STS, grpcurl, OpenTofu), and, when ATREST_EXTERNAL_MARIADB_URL names
# an external MariaDB (CI starts Debian's), the key-service suite once more against that database.
#
#   ATREST_EXTERNAL_MARIADB_URL       e.g. jdbc:mariadb://127.0.0.1:3306/atrest_ci   (optional)
#   ATREST_EXTERNAL_MARIADB_USER / _PASSWORD                                         (optional)
set -euo pipefail
repo_root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$repo_root"

scripts/test-peers/install.sh

# The first pass always runs on the embedded MariaDB, whatever the caller's environment says.
env -u ATREST_TEST_JDBC_URL mvn -B install

# The install above only replays the fuzz tests' committed inputs; this fuzzes each for a bounded time.
scripts/fuzz.sh 15

if [[ -n "${ATREST_EXTERNAL_MARIADB_URL:-}" ]]; then
  echo "== key-service suite again, on the external MariaDB at $ATREST_EXTERNAL_MARIADB_URL" >&2
  ATREST_TEST_JDBC_URL="$ATREST_EXTERNAL_MARIADB_URL" \
  ATREST_TEST_JDBC_USER="${ATREST_EXTERNAL_MARIADB_USER:-root}" \
  ATREST_TEST_JDBC_PASSWORD="${ATREST_EXTERNAL_MARIADB_PASSWORD:-}" \
    mvn -B -pl key-service test
fi
