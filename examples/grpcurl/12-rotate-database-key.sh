#!/usr/bin/env bash
# Make a new version of one database's key (an ADMIN token for the project in ATREST_TOKEN). The new version
# is generated now, wrapped under the cluster's current master key, and from then on the one GetDatabaseKey
# (and the Vault-compatible endpoint) serves as current; the previous version is RETIRED but still served by
# number, so data not yet re-encrypted stays readable. A database without a key gets version 1.
# With EXPECTED_VERSION (the version you believe current; 0 for none) a second run after a first that
# succeeded is refused (FAILED_PRECONDITION, DATABASE_KEY_VERSION_CHANGED) instead of rotating twice.
# Prints the new version's metadata: never key material.
# Usage: 12-rotate-database-key.sh PROJECT_ID CLUSTER_NAME DATABASE_NAME [EXPECTED_VERSION]
source "$(dirname "$0")/env.sh"
usage="usage: $0 PROJECT_ID CLUSTER_NAME DATABASE_NAME [EXPECTED_VERSION]"
project="${1:?$usage}"
cluster="${2:?$usage}"
database="${3:?$usage}"
expected=""
if [ -n "${4:-}" ]; then
  expected=", \"expected_version\": $4"
fi
atrest -d "{\"project_id\": \"$project\", \"cluster_name\": \"$cluster\", \"database_name\": \"$database\"$expected}" \
  "$ATREST_ADDR" atrest.v1.ClusterEncryptionService/RotateDatabaseKey
