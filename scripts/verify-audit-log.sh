#!/usr/bin/env bash
# Verifies the audit log of a running key service (AuditService/VerifyAuditLog): the service writes what
# it has queued, walks the whole hash chain (from retention's MAC'd checkpoint, if records were pruned) and
# names the first record that was changed, inserted or deleted in the database. It also compares the log
# with the heads anchored outside the database (atrest.audit.anchor.file): a log rolled back (an older copy
# restored, or its end deleted and its head rewound) or rewritten is NOT intact, and so is an anchor file
# that does not verify. Needs an ADMIN token on all projects.
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
anchor="$(sed -n 's/.*"anchor_check": "\([A-Z_]*\)".*/\1/p' <<<"$answer")"
if grep -q '"intact": true' <<<"$answer"; then
  echo "audit log intact (anchor: ${anchor:-ANCHOR_CHECK_UNSPECIFIED})"
  if [[ "$anchor" == "ANCHOR_NONE" ]]; then
    echo "verify-audit-log: nothing is anchored outside the database yet, so a rollback of the log would not show" >&2
  fi
  exit 0
fi
echo "audit log NOT intact (anchor: ${anchor:-ANCHOR_CHECK_UNSPECIFIED})" >&2
exit 1
