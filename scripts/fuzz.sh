#!/usr/bin/env bash
# Fuzzes every Jazzer @FuzzTest (JUnit tag "jazzer") for a while: the msgpack decoder in terraform-bridge, and
# request validation, page tokens and wrapped-key parsing in key-service. Plain `mvn test` only replays the
# committed inputs (src/test/resources/**/<Test>Inputs/); this mutates them. Each test class runs in a JVM of
# its own (Jazzer fuzzes one test per JVM), and a run that skipped or ran no fuzz test fails rather than passes.
# A finding fails the run; Jazzer saves the input under src/test/resources/**/<Test>Inputs/<method>/: fix the
# product, and commit the input, so every later `mvn test` replays it.
#
#   scripts/fuzz.sh [SECONDS_PER_TEST]     default 20; needs compiled test classes (mvn install, or test-compile)
set -euo pipefail
repo_root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$repo_root"
seconds="${1:-20}"

fuzz_module() {
  local module="$1" goal="$2" instrument="$3"
  rm -rf "$module/target/surefire-reports"
  # Only the project's own packages are instrumented for coverage: generated protobuf classes are large and
  # instrumenting them costs minutes, for coverage no fuzz test is after.
  JAZZER_FUZZ=1 mvn -B -pl "$module" "$goal" -Dgroups=jazzer -DreuseForks=false \
    -Djazzer.max_duration="${seconds}s" -Djazzer.instrument="$instrument"
  local reports=("$module"/target/surefire-reports/TEST-*.xml)
  [[ -e "${reports[0]}" ]] || { echo "fuzz.sh: $module ran no fuzz test" >&2; exit 1; }
  if grep -l 'skipped="[1-9]' "${reports[@]}"; then
    echo "fuzz.sh: $module skipped fuzz tests (listed above); a skipped fuzz test is not a pass" >&2
    exit 1
  fi
}

fuzz_module terraform-bridge surefire:test 'dev.atrest.terraform.wire.**'
# key-service keeps its fuzz tests in a surefire execution of their own, away from the @QuarkusTest JVM.
fuzz_module key-service surefire:test@fuzz-regression 'dev.atrest.keyservice.**'
# This run's figures (plain `mvn test` replays write fuzz-<target>-replay*.tsv beside them).
for tsv in terraform-bridge/target/fault-results/fuzz-*.tsv key-service/target/fault-results/fuzz-*.tsv; do
  [[ "$tsv" == *-replay*.tsv ]] || cat "$tsv"
done
