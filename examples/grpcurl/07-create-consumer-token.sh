#!/usr/bin/env bash
# Create a KEY_CONSUMER token for one project (needs an ADMIN token in ATREST_TOKEN). The service shows
# the secret once and keeps only its hash: this prints the token's metadata on stderr and the secret alone
# on stdout, so that  consumer=$(07-create-consumer-token.sh acme)  captures it and nothing else.
# Usage: 07-create-consumer-token.sh PROJECT_ID [TOKEN_NAME] [TTL_DAYS]
source "$(dirname "$0")/env.sh"
project="${1:?usage: $0 PROJECT_ID [TOKEN_NAME] [TTL_DAYS]}"
name="${2:-$project-consumer}"
ttl="${3:-30}"
response=$(atrest -d "{\"name\": \"$name\", \"role\": \"KEY_CONSUMER\", \"project_ids\": [\"$project\"],
    \"ttl_days\": $ttl}" "$ATREST_ADDR" atrest.v1.AccessService/CreateAccessToken)
python3 -c '
import json, sys
response = json.load(sys.stdin)
print(json.dumps(response["token"], indent=2), file=sys.stderr)
print(response["secret"])
' <<<"$response"
