#!/usr/bin/env bash
# Fetch a database key as a storage engine would (needs a KEY_CONSUMER token for the project in
# ATREST_TOKEN; the key is created on first use). Prints its version, the master-key version wrapping it
# and a SHA-256 fingerprint: the key itself never reaches the terminal.
# Usage: 08-get-database-key.sh PROJECT_ID CLUSTER_NAME DATABASE_NAME [VERSION]
source "$(dirname "$0")/env.sh"
usage="usage: $0 PROJECT_ID CLUSTER_NAME DATABASE_NAME [VERSION]"
project="${1:?$usage}"
cluster="${2:?$usage}"
database="${3:?$usage}"
version="${4:-0}"
key=$(atrest -d "{\"project_id\": \"$project\", \"cluster_name\": \"$cluster\", \"database_name\": \"$database\",
    \"version\": $version}" "$ATREST_ADDR" atrest.v1.DatabaseKeyService/GetDatabaseKey)
python3 -c '
import base64, hashlib, json, sys
key = json.load(sys.stdin)
material = base64.b64decode(key.pop("key"))
print(json.dumps({
    "database": key["project_id"] + "/" + key["cluster_name"] + "/" + key["database_name"],
    "version": key.get("version", 0),
    "master_key_version": key.get("master_key_version", 0),
    "key_bits": len(material) * 8,
    "key_sha256": hashlib.sha256(material).hexdigest(),
}, indent=2))
' <<<"$key"
