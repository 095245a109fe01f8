#!/usr/bin/env bash
# Verifies the audit log of a running key service (AuditService/VerifyAuditLog): the service writes what
# it has queued, walks the whole hash chain and names the first record that was changed, inserted or
# deleted in the database. Needs an ADMIN token on all projects.
#
# Address, token and TLS as for the grpcurl examples (examples/grpcurl/env.sh): ATREST_ADDR (default
# localhost:9090), ATREST_TOKEN (default: the bootstrap token in ATREST_DATA_DIR, default <repo>/.data),
# ATREST_CACERT (+ ATREST_CERT / ATREST_KEY) for TLS, GRPCURL.
#
# Exit status: 0 intact, 1 not intact (the answer says where and what), 2 the check itself failed.
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ATREST_DATA_DIR="${ATREST_DATA_DIR:-$here/../.data}"
source "$here/../examples/grpcurl/env.sh"

if ! answer="$(atrest -d '{}' "$ATREST_ADDR" atrest.v1.AuditService/VerifyAuditLog 2>&1)"; then
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
