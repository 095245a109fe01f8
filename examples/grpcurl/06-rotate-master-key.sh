#!/usr/bin/env bash
# Rotate a cluster's master key now and follow the re-wrap until it finishes. The new master-key version
# is active when RotateMasterKey returns; the cluster's database keys are then re-wrapped under it in the
# background (the keys themselves do not change, so no data is re-encrypted). The old version is then
# destroyed unless a registered snapshot still needs it (SnapshotService).
# Usage: 06-rotate-master-key.sh PROJECT_ID CLUSTER_NAME
source "$(dirname "$0")/env.sh"
project="${1:?usage: $0 PROJECT_ID CLUSTER_NAME}"
cluster="${2:?usage: $0 PROJECT_ID CLUSTER_NAME}"
request="{\"project_id\": \"$project\", \"cluster_name\": \"$cluster\"}"
atrest -d "$request" "$ATREST_ADDR" atrest.v1.ClusterEncryptionService/RotateMasterKey
for _ in $(seq 1 600); do
  status="$(atrest -d "$request" "$ATREST_ADDR" atrest.v1.ClusterEncryptionService/GetRotationStatus)"
  # proto3 JSON leaves out false booleans: no "in_progress" means the re-wrap is done.
  if ! grep -q '"in_progress": true' <<<"$status"; then
    echo "$status"
    exit 0
  fi
  sleep 0.1
done
echo "rotation still in progress after 60 s:" >&2
echo "$status" >&2
exit 1
