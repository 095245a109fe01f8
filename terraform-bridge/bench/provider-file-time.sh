#!/usr/bin/env bash
# Median time from start to handshake line of the self-contained provider file, with its class-data-sharing
# cache warm and with it off, interleaved with a baseline launcher in the same run; also the one-off cost of
# a first start with an empty cache (the training run that records the archive).
# Usage: terraform-bridge/bench/provider-file-time.sh [runs=15]   (packages the provider first if needed)
#   BASELINE=/path/to/another/terraform-provider-atrest_v0.1.0 compares against another build (e.g. a copy of
#   an older mirror with its provider-lib beside it); without it the baseline is a bare JVM start.
set -euo pipefail
runs="${1:-15}"
module_dir="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
source "$module_dir/bench/handshake-lib.sh"
need java openssl
provider="$(provider_file "$module_dir")"

tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME="$tmp/cache"
use_client_certificate "$tmp"

first=$(handshake_ms "$provider")
warm=() off=() base=()
for ((i = 0; i < runs; i++)); do
  warm+=($(handshake_ms "$provider"))
  off+=($(ATREST_PROVIDER_CDS=0 handshake_ms "$provider"))
  if [[ -n "${BASELINE:-}" ]]; then
    base+=($(handshake_ms "$BASELINE"))
  else
    start=$(date +%s%N)
    "${JAVA_HOME:+$JAVA_HOME/bin/}java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -version >/dev/null 2>&1
    base+=($(( ($(date +%s%N) - start) / 1000000 )))
  fi
done
m_warm=$(median "${warm[@]}") m_off=$(median "${off[@]}") m_base=$(median "${base[@]}")
echo "handshake ms, mTLS, median of $runs interleaved runs (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "  provider file, CDS cache warm:  $m_warm"
echo "  provider file, CDS off:         $m_off"
echo "  baseline (${BASELINE:-bare JVM start, java -version}): $m_base"
echo "  first start, empty cache (records the archive, once per user, copy and JDK): $first"
awk -v w="$m_warm" -v o="$m_off" -v b="$m_base" \
  'BEGIN {printf "  ratios: warm/baseline %.2f, off/baseline %.2f, warm/off %.2f\n", w/b, o/b, w/o}'
