#!/usr/bin/env bash
# Turn encryption off again: every cluster first (NONE), then the project. Keys are kept
# (decrypt-only) so that snapshots taken while encrypted stay readable.
# Usage: 11-cleanup.sh PROJECT_ID CLUSTER_NAME...
source "$(dirname "$0")/env.sh"
project="${1:?usage: $0 PROJECT_ID CLUSTER_NAME...}"
shift
for cluster in "$@"; do
  "$(dirname "$0")/03-enable-cluster.sh" "$project" "$cluster" NONE
done
atrest -d "{\"project_id\": \"$project\"}" "$ATREST_ADDR" \
  atrest.v1.ProjectEncryptionService/DisableProjectEncryption
