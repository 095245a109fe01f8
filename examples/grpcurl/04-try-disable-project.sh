#!/usr/bin/env bash
# Try to disable a project whose clusters are still encrypted: the service refuses with
# FAILED_PRECONDITION / CANNOT_DISABLE_ENCRYPTION_AT_REST and names the clusters.
# Exits 0 when the refusal happens as it should, 1 if the project was disabled.
# Usage: 04-try-disable-project.sh PROJECT_ID
source "$(dirname "$0")/env.sh"
project="${1:?usage: $0 PROJECT_ID}"
if out=$(atrest -d "{\"project_id\": \"$project\"}" "$ATREST_ADDR" \
    atrest.v1.ProjectEncryptionService/DisableProjectEncryption 2>&1); then
  echo "$out"
  echo "unexpected: the project was disabled although clusters are encrypted" >&2
  exit 1
fi
echo "$out"
grep -q CANNOT_DISABLE_ENCRYPTION_AT_REST <<<"$out"
echo "refused, as it should be: disable the clusters first"
