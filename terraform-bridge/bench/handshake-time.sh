#!/usr/bin/env bash
# Median wall time from starting a provider to its handshake line on stdout, with AutoMTLS (what Terraform
# uses), interleaved run by run for:
#   atrest     the provider launcher in the mirror (mvn -pl terraform-bridge package)
#   go-time    HashiCorp's Go time provider v0.14.2, the yardstick (built once into <repo>/.bench-tools by
#              plan-vs-go.sh or here when Go is on PATH; skipped otherwise)
#   bare-jvm   `java -version` with the launcher's flags: the floor any JVM provider pays
# and any extra executables given as arguments after the run count (name=path; e.g. an experiment's wrapper).
# Usage: terraform-bridge/bench/handshake-time.sh [runs=15] [name=/path/to/provider ...]
#        WITH_TLS=0 measures the plaintext handshake instead.
set -euo pipefail
runs="${1:-15}"
shift || true
module_dir="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
repo="$(cd "$module_dir/.." && pwd)"
time_bin="$repo/.bench-tools/bin/terraform-provider-time"
if [[ ! -x "$time_bin" ]] && command -v go >/dev/null; then
  GOBIN="$repo/.bench-tools/bin" go install github.com/hashicorp/terraform-provider-time@v0.14.2
fi

source "$module_dir/bench/handshake-lib.sh"
need java openssl
launcher="$(provider_file "$module_dir")"
if [[ "${WITH_TLS:-1}" == 1 ]]; then
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  use_client_certificate "$tmp"
fi

names=(atrest) paths=("$launcher")
[[ -x "$time_bin" ]] && names+=(go-time) paths+=("$time_bin")
for extra in "$@"; do names+=("${extra%%=*}") paths+=("${extra#*=}"); done
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"

declare -A times
base=()
for ((i = 0; i < runs; i++)); do
  start=$(date +%s%N)
  "$java_bin" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -version >/dev/null 2>&1
  end=$(date +%s%N)
  base+=($(( (end - start) / 1000000 )))
  for k in "${!names[@]}"; do
    times[$k]+=" $(handshake_ms "${paths[$k]}")"
  done
done
echo "handshake ms, median of $runs interleaved runs (TLS=${WITH_TLS:-1}), load average $(cut -d' ' -f1-3 /proc/loadavg):"
go_median=""
for k in "${!names[@]}"; do
  m=$(median ${times[$k]})
  [[ "${names[$k]}" == go-time ]] && go_median=$m
  echo "  ${names[$k]}: median $m [${times[$k]# }]"
done
base_median=$(median "${base[@]}")
echo "  bare-jvm (java -version): median $base_median"
atrest_median=$(median ${times[0]})
[[ -n "$go_median" ]] && echo "ratio atrest/go-time: $(awk "BEGIN{printf \"%.2f\", $atrest_median/$go_median}"); goal: atrest <= 300 ms"
exit 0
