#!/usr/bin/env bash
# Enable encryption at rest for a project with the LOCAL (development) root key.
# Usage: 02-enable-project-local.sh PROJECT_ID
source "$(dirname "$0")/env.sh"
project="${1:?usage: $0 PROJECT_ID}"
atrest -d "{\"project_encryption\": {\"project_id\": \"$project\", \"local_key\": {\"enabled\": true}}}" \
  "$ATREST_ADDR" atrest.v1.ProjectEncryptionService/UpdateProjectEncryption
