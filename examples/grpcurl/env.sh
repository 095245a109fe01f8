# Shared settings for the grpcurl examples; source it, don't run it.
#   ATREST_ADDR   the key service's gRPC address   (default localhost:9090)
#   GRPCURL       the grpcurl binary                (default: the repo's .tools/bin/grpcurl, else PATH)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ATREST_ADDR="${ATREST_ADDR:-localhost:9090}"
if [ -z "${GRPCURL:-}" ]; then
  if [ -x "$here/../../.tools/bin/grpcurl" ]; then GRPCURL="$here/../../.tools/bin/grpcurl"; else GRPCURL=grpcurl; fi
fi
# Reflection is on, so no .proto files are needed; -format-error prints google.rpc details as JSON.
atrest() { "$GRPCURL" -plaintext -format-error "$@"; }
