#!/usr/bin/env bash
# Median wall time from starting the provider launcher to its handshake line on stdout.
# Usage: terraform-bridge/bench/handshake-time.sh [runs=15]   (after `mvn -pl terraform-bridge package`)
set -euo pipefail
runs="${1:-15}"
module_dir="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
launcher="$(find "$module_dir/target/terraform-mirror" -name 'terraform-provider-atrest_v*' -type f | head -n1)"
[[ -x "$launcher" ]] || { echo "no launcher: run mvn -pl terraform-bridge package first" >&2; exit 1; }

export TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2
export PLUGIN_PROTOCOL_VERSIONS=6 PLUGIN_MIN_PORT=10000 PLUGIN_MAX_PORT=25000
if [[ "${WITH_TLS:-1}" == 1 ]]; then
  # Any client certificate will do for timing; the provider only parses it.
  tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost -days 1 \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
  export PLUGIN_CLIENT_CERT="$(cat "$tmp/cert.pem")"
fi

# Baseline in the same run, interleaved: a bare JVM start with the launcher's flags (the floor any Java
# provider pays). Comparing the two in one run keeps this shared machine's noise out of the verdict.
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
times=()
base=()
for ((i = 0; i < runs; i++)); do
  start=$(date +%s%N)
  "$java_bin" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -version >/dev/null 2>&1
  end=$(date +%s%N)
  base+=($(( (end - start) / 1000000 )))

  start=$(date +%s%N)
  coproc PLUGIN { exec "$launcher" 2>/dev/null; }
  read -r line <&"${PLUGIN[0]}"
  end=$(date +%s%N)
  kill "$PLUGIN_PID" 2>/dev/null || true
  wait "$PLUGIN_PID" 2>/dev/null || true
  [[ "$line" == 1\|6\|tcp\|127.0.0.1:* ]] || { echo "unexpected handshake: $line" >&2; exit 1; }
  times+=($(( (end - start) / 1000000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
based=($(printf '%s\n' "${base[@]}" | sort -n))
median=${sorted[$((runs / 2))]} base_median=${based[$((runs / 2))]}
echo "handshake ms over $runs runs (TLS=${WITH_TLS:-1}): min ${sorted[0]} median $median max ${sorted[$((runs - 1))]}"
echo "baseline bare JVM start (java -version) ms: median $base_median; ratio handshake/baseline: $(awk "BEGIN{printf \"%.2f\", $median/$base_median}")"
