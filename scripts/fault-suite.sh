#!/usr/bin/env bash
# The fault-injection and fuzzing suite at full size: the whole test suite (scripts/test.sh) with every
# fault and fuzz part at its full count (>= 200 SIGKILL trials, 120 s of fuzzing per target (FUZZ_SECONDS),
# more KMS/MariaDB faults, 30,000 gRPC fuzz messages),
# then the leak scan; the results land in target/fault-suite/results.md. About 85 minutes on 2 cores (measured: 83 min, results/fault-suite.md).
# CI runs the same parts at their bounded default size through scripts/test.sh.
#
#   scripts/fault-suite.sh [-Dfault.seed=S]        (extra arguments go to Maven)
set -euo pipefail
repo_root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
FUZZ_SECONDS="${FUZZ_SECONDS:-120}" FAULT_SUITE_MODE=full FAULT_SUITE_COMMAND="scripts/fault-suite.sh${*:+ $*}" exec "$repo_root/scripts/test.sh" -Dfault.full=true "$@"
