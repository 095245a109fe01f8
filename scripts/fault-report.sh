#!/usr/bin/env bash
# After the test suite: the leak scan and the fault suite's results file.
#
# Leak scan: every plaintext key and secret the tests handled (recorded by the tests under
# <module>/target/leak-canaries) is looked for, raw and hex/base64-encoded, in every module's target/
# (service and test logs, the embedded MariaDB files incl. the audit_log table and redo logs, OpenTofu
# state and logs), in the build logs under target/test-logs and in a dump of the external database when
# the suite used one. Results: the figures each fault/fuzz suite wrote to <module>/target/fault-results
# gathered into target/fault-suite/results.md.
#
#   scripts/fault-report.sh <bounded|full> <command that ran the suite> <wall seconds>
# Exit status: 0 all good, 1 a leak or a failure in the figures, 2 nothing to report (the suite did not run).
set -euo pipefail
repo_root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$repo_root"
mode="${1:?mode: bounded or full}"
command="${2:?the command that ran the suite}"
wall_seconds="${3:?wall seconds}"
modules=(key-service terraform-bridge examples/java-client)
out_dir=target/fault-suite
mkdir -p "$out_dir"

canaries=()
scan=(target/test-logs)
for module in "${modules[@]}"; do
  canaries+=("$module/target/leak-canaries")
  scan+=("$module/target")
done
leak_status=0
java -cp key-service/target/test-classes dev.atrest.keyservice.support.LeakScan \
  --canaries "${canaries[@]}" --scan "${scan[@]}" >"$out_dir/leak-scan.txt" || leak_status=$?
cat "$out_dir/leak-scan.txt"

shopt -s nullglob
results=()
for module in "${modules[@]}"; do
  results+=("$module"/target/fault-results/*.tsv)
done
if ((${#results[@]} == 0)); then
  echo "fault report: no fault-suite results under */target/fault-results (did the suite run?)" >&2
  exit 2
fi

{
  echo "# Fault-injection and fuzzing suite: results"
  echo
  echo "- run: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $mode size"
  echo "- command: \`$command\`"
  echo "- wall time of the whole suite: $((wall_seconds / 60)) min $((wall_seconds % 60)) s"
  echo "- replay a suite: \`-Dfault.seed=<seed>\` with its test (\`-Dit.test=...\` / \`-Dtest=...\`)"
  echo
  echo "| suite | trials | faults injected | failures | keys lost | writes lost | seconds | seed |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
  sort "${results[@]}" | awk -F'\t' '
    { printf "| %s | %d | %d | %d | %d | %d | %d | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8
      for (i = 2; i <= 7; i++) total[i] += $i }
    END { printf "| **total** | %d | %d | %d | %d | %d | %d | |\n", total[2], total[3], total[4], total[5], total[6], total[7] }'
  # Suites that measure more than the table's columns (the Galera suite: faults, recovery times, refusals by code).
  for figures in "${modules[@]/%//target/fault-results}"; do
    for file in "$figures"/*.figures.md; do
      echo
      sed 's/^# /### /' "$file"
    done
  done
  echo
  echo "Leak scan (logs, database files and dumps, audit log):"
  echo
  sed 's/^/    /' "$out_dir/leak-scan.txt"
} >"$out_dir/results.md"
cat "$out_dir/results.md"

bad_figures="$(sort "${results[@]}" | awk -F'\t' '$4 > 0 || $5 > 0 || $6 > 0' | cut -f1)"
if [[ -n "$bad_figures" ]]; then
  echo "fault report: failures, lost keys or lost writes in: $bad_figures" >&2
  exit 1
fi
if ((leak_status != 0)); then
  echo "fault report: the leak scan did not pass (exit $leak_status); see $out_dir/leak-scan.txt" >&2
  exit "$leak_status"
fi
echo "fault report: $out_dir/results.md" >&2
