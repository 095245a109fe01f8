#!/usr/bin/env bash
# Ask for another project's database key with a consumer token of one project: the service refuses with
# PERMISSION_DENIED, releases nothing, and records the denial in the audit log.
# Exits 0 when the refusal happens as it should, 1 if a key was released.
# Usage: 09-try-other-project.sh OTHER_PROJECT_ID CLUSTER_NAME DATABASE_NAME
source "$(dirname "$0")/env.sh"
usage="usage: $0 OTHER_PROJECT_ID CLUSTER_NAME DATABASE_NAME"
project="${1:?$usage}"
cluster="${2:?$usage}"
database="${3:?$usage}"
if out=$("$(dirname "$0")/08-get-database-key.sh" "$project" "$cluster" "$database" 2>&1); then
  echo "$out"
  echo "unexpected: a key of project $project was released to a token not granted it" >&2
  exit 1
fi
echo "$out"
grep -Eq '"code": 7|PermissionDenied' <<<"$out"
echo "refused, as it should be: the token is not granted project $project"
