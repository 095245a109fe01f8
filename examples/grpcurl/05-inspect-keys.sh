#!/usr/bin/env bash
# The cluster's key hierarchy without any key material: master-key versions and database keys.
# Usage: 05-inspect-keys.sh PROJECT_ID CLUSTER_NAME
source "$(dirname "$0")/env.sh"
project="${1:?usage: $0 PROJECT_ID CLUSTER_NAME}"
cluster="${2:?usage: $0 PROJECT_ID CLUSTER_NAME}"
atrest -d "{\"project_id\": \"$project\", \"cluster_name\": \"$cluster\"}" \
  "$ATREST_ADDR" atrest.v1.ClusterEncryptionService/ListClusterKeys
