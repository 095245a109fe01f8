#!/usr/bin/env bash
# Encrypt a cluster with its project's provider: this creates the cluster's master key.
# Usage: 03-enable-cluster.sh PROJECT_ID CLUSTER_NAME [PROVIDER]
source "$(dirname "$0")/env.sh"
project="${1:?usage: $0 PROJECT_ID CLUSTER_NAME [AWS|LOCAL|NONE]}"
cluster="${2:?usage: $0 PROJECT_ID CLUSTER_NAME [AWS|LOCAL|NONE]}"
provider="${3:-LOCAL}"
atrest -d "{\"project_id\": \"$project\", \"cluster_name\": \"$cluster\", \"encryption_at_rest_provider\": \"$provider\"}" \
  "$ATREST_ADDR" atrest.v1.ClusterEncryptionService/SetClusterEncryption
