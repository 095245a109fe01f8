# Shared settings for the grpcurl examples; source it, don't run it.
#   ATREST_ADDR      the key service's gRPC address   (default localhost:9090)
#   ATREST_TOKEN     the bearer token to call with     (default: the bootstrap admin token the service
#                    wrote to $ATREST_DATA_DIR/bootstrap-admin-token)
#   ATREST_DATA_DIR  the service's data directory      (default: the repo's .data, as scripts/run-key-service.sh)
#   GRPCURL          the grpcurl binary                (default: the repo's .tools/bin/grpcurl, else PATH)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ATREST_ADDR="${ATREST_ADDR:-localhost:9090}"
ATREST_DATA_DIR="${ATREST_DATA_DIR:-$here/../../.data}"
if [ -z "${GRPCURL:-}" ]; then
  if [ -x "$here/../../.tools/bin/grpcurl" ]; then GRPCURL="$here/../../.tools/bin/grpcurl"; else GRPCURL=grpcurl; fi
fi
if [ -z "${ATREST_TOKEN:-}" ] && [ -r "$ATREST_DATA_DIR/bootstrap-admin-token" ]; then
  ATREST_TOKEN="$(tr -d '[:space:]' < "$ATREST_DATA_DIR/bootstrap-admin-token")"
fi
# Without a token only health checks and reflection answer; the service says so (UNAUTHENTICATED).
# grpcurl expands ${ATREST_TOKEN} itself, so the secret stays off command lines that `ps` shows.
atrest_auth=()
if [ -n "${ATREST_TOKEN:-}" ]; then
  export ATREST_TOKEN
  atrest_auth=(-expand-headers -H 'authorization: Bearer ${ATREST_TOKEN}')
fi
# Reflection is on, so no .proto files are needed; -format-error prints google.rpc details as JSON.
atrest() { "$GRPCURL" -plaintext -format-error ${atrest_auth[@]+"${atrest_auth[@]}"} "$@"; }
