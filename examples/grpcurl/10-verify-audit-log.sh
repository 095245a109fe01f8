#!/usr/bin/env bash
# Check the audit log's hash chain (needs an ADMIN token on all projects), then a project's first 20 records,
# oldest first: who did what to which resource, and the outcome. Exits 1 if the chain is broken (a record
# changed or deleted). Usage: 10-verify-audit-log.sh [PROJECT_ID]
source "$(dirname "$0")/env.sh"
status=0
"$here/../../scripts/verify-audit-log.sh" || status=$?
if [ -n "${1:-}" ]; then
  atrest -d "{\"project_id\": \"$1\", \"page_size\": 20}" "$ATREST_ADDR" atrest.v1.AuditService/ListAuditRecords |
    python3 -c '
import json, sys
for record in json.load(sys.stdin).get("records", []):
    print(record.get("time", ""), record.get("actor", ""), record.get("action", ""), record.get("resource", ""),
          record.get("outcome", ""), sep="  ")
'
fi
exit "$status"
