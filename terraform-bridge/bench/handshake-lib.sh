# Shared by handshake-time.sh and provider-file-time.sh (sourced, not run): the go-plugin environment a
# provider needs to start, a client certificate for AutoMTLS, and the timing of one start.

export TF_PLUGIN_MAGIC_COOKIE=d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2
export PLUGIN_PROTOCOL_VERSIONS=5,6 PLUGIN_MIN_PORT=10000 PLUGIN_MAX_PORT=25000

# Sets PLUGIN_CLIENT_CERT to a fresh certificate written under $1: any certificate will do for timing
# (AutoMTLS, Terraform's default); the provider only parses it.
use_client_certificate() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost -days 1 \
    -keyout "$1/key.pem" -out "$1/cert.pem" 2>/dev/null
  export PLUGIN_CLIENT_CERT="$(cat "$1/cert.pem")"
}

# Prints the milliseconds from starting "$@" to its handshake line on stdout, then stops it.
handshake_ms() {
  local start end line
  start=$(date +%s%N)
  coproc PLUGIN { exec "$@" 2>/dev/null; }
  read -r line <&"${PLUGIN[0]}"
  end=$(date +%s%N)
  kill "$PLUGIN_PID" 2>/dev/null || true
  wait "$PLUGIN_PID" 2>/dev/null || true
  [[ "$line" == 1\|[56]\|*\|grpc* ]] || { echo "unexpected handshake from $1: $line" >&2; exit 1; }
  echo $(( (end - start) / 1000000 ))
}

# Stops with one line unless every named command is on PATH.
need() { # tool... 
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$(basename "$0"): $tool not found on PATH" >&2; exit 1; }
  done
}

# The provider file in the mirror, packaged first when it is missing (a fresh clone): prints its path.
provider_file() { # module_dir
  local found
  found="$(find "$1/target/terraform-mirror" -name 'terraform-provider-atrest_v*' -type f 2>/dev/null | head -n1)"
  if [[ ! -x "$found" ]]; then
    need mvn
    echo "packaging the provider (mvn -pl proto,terraform-bridge package)" >&2
    (cd "$1/.." && mvn -B -q -pl proto,terraform-bridge -am package -DskipTests >&2) \
      || { echo "$(basename "$0"): packaging the provider failed" >&2; exit 1; }
    found="$(find "$1/target/terraform-mirror" -name 'terraform-provider-atrest_v*' -type f | head -n1)"
  fi
  echo "$found"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
