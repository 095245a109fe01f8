#!/usr/bin/env bash
# Verifies the audit log of a running key service (AuditService/VerifyAuditLog): the service writes what
# it has queued, walks the whole hash chain and names the first record that was changed, inserted or
# deleted in the database.
#
#   ATREST_ADDR     the key service's gRPC address               (default localhost:9090)
#   ATREST_TOKEN    a bearer token of an admin on all projects   (optional: not needed in development mode)
#   ATREST_CACERT   a CA certificate file: speak TLS and trust it (optional: plaintext without it)
#   GRPCURL         the grpcurl binary                           (default: the repo's .tools/bin/grpcurl, else PATH)
#
# Exit status: 0 intact, 1 not intact (the answer says where and what), 2 the check itself failed.
set -uo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ATREST_ADDR="${ATREST_ADDR:-localhost:9090}"
if [ -z "${GRPCURL:-}" ]; then
  if [ -x "$here/../.tools/bin/grpcurl" ]; then GRPCURL="$here/../.tools/bin/grpcurl"; else GRPCURL=grpcurl; fi
fi

flags=(-format-error)
if [ -n "${ATREST_CACERT:-}" ]; then flags+=(-cacert "$ATREST_CACERT"); else flags+=(-plaintext); fi
# The token goes through grpcurl's environment expansion, so it never shows in the process list.
if [ -n "${ATREST_TOKEN:-}" ]; then flags+=(-expand-headers -H 'authorization: Bearer ${ATREST_TOKEN}'); fi
export ATREST_TOKEN="${ATREST_TOKEN:-}"

if ! answer="$("$GRPCURL" "${flags[@]}" -d '{}' "$ATREST_ADDR" atrest.v1.AuditService/VerifyAuditLog 2>&1)"; then
  echo "verify-audit-log: the call to $ATREST_ADDR failed:" >&2
  echo "$answer" >&2
  exit 2
fi
echo "$answer"
if grep -q '"intact": true' <<<"$answer"; then
  echo "audit log intact"
  exit 0
fi
echo "audit log NOT intact" >&2
exit 1
