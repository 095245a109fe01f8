#!/usr/bin/env bash
# Dumps the external test database (ATREST_EXTERNAL_MARIADB_URL/_USER/_PASSWORD) for the leak scan: the
# tests' keys and secrets must not be in any table, the audit log included.
#   scripts/test-peers/dump-external-db.sh <output file>
set -euo pipefail
out="${1:?output file}"
url="${ATREST_EXTERNAL_MARIADB_URL:?}"
hostport="${url#jdbc:mariadb://}"; hostport="${hostport%%/*}"
database="${url##*/}"; database="${database%%\?*}"
host="${hostport%%:*}"; port="${hostport##*:}"; [[ "$port" == "$hostport" ]] && port=3306
dump="$(command -v mariadb-dump || command -v mysqldump || true)"
if [[ -z "$dump" ]]; then
  echo "no mariadb-dump here: the external database is not dumped for the leak scan" >&2
  exit 0
fi
MYSQL_PWD="${ATREST_EXTERNAL_MARIADB_PASSWORD:-}" "$dump" --host="$host" --port="$port" \
  --user="${ATREST_EXTERNAL_MARIADB_USER:-root}" --hex-blob --single-transaction "$database" >"$out"
echo "dumped $database ($(wc -c <"$out") bytes) to $out for the leak scan" >&2
