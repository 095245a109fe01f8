#!/usr/bin/env bash
# MariaDB encrypting its tables with keys from atrest, against a running key service with its Vault API on
# (README quick start plus -Datrest.vault-api.enabled=true): a project (LOCAL) and an encrypted cluster, a
# KEY_CONSUMER token, then a mariadbd of its own (datadir, socket and port in a temporary directory; the system
# MariaDB is left alone) with hashicorp_key_management reading its keys from atrest. It creates encrypted tables,
# shows INFORMATION_SCHEMA.INNODB_TABLESPACES_ENCRYPTION, restarts MariaDB (the keys are read again) and reads
# the rows back, shows atrest's audit records of the key reads, and stops MariaDB.
# Usage: demo.sh [PROJECT_ID] [CLUSTER_NAME]   (defaults: mariadb-<random>, orders-db)
#   ATREST_VAULT_ADDR    the Vault API's base URL            (default http://127.0.0.1:8200)
#   ATREST_VAULT_CACERT  PEM CA of its TLS certificate, for https (hashicorp-key-management-vault-ca)
#   MARIADB_DEMO_DIR     where mariadbd's files go            (default: a new temporary directory, removed after)
#   and ATREST_ADDR, ATREST_TOKEN (an ADMIN token), ATREST_CACERT as for the grpcurl examples (../grpcurl/env.sh).
# Needs Debian's mariadb-server and mariadb-plugin-hashicorp-key-management (10.11 or later), curl, Python 3.
source "$(dirname "$0")/../grpcurl/env.sh"
grpcurl_examples="$here"
project="${1:-mariadb-$RANDOM}"
cluster="${2:-orders-db}"
vault_addr="${ATREST_VAULT_ADDR:-http://127.0.0.1:8200}"
mount="atrest/$project/$cluster"
step() { printf '\n== %s\n' "$*"; }
fail() { echo "mariadb demo: $*" >&2; exit 1; }
for tool in mariadbd mariadb-install-db mariadb mariadb-admin curl python3; do
  command -v "$tool" >/dev/null || fail "$tool not found (apt-get install mariadb-server curl python3)"
done
plugin_dir=$(mariadbd --help --verbose 2>/dev/null | awk '$1 == "plugin-dir" {print $2}')
[ -f "$plugin_dir/hashicorp_key_management.so" ] ||
  fail "no hashicorp_key_management plugin in $plugin_dir: apt-get install mariadb-plugin-hashicorp-key-management"

dir="${MARIADB_DEMO_DIR:-$(mktemp -d -t atrest-mariadb.XXXXXX)}"
[ -n "${MARIADB_DEMO_DIR:-}" ] || trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir" && chmod 700 "$dir"
umask 077   # the token's header file below; the data directory
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
curl_tls=()
[ -n "${ATREST_VAULT_CACERT:-}" ] && curl_tls=(--cacert "$ATREST_VAULT_CACERT")

step "enable project $project (LOCAL) and encrypt cluster $cluster"
"$grpcurl_examples/02-enable-project-local.sh" "$project" >/dev/null
"$grpcurl_examples/03-enable-cluster.sh" "$project" "$cluster"

step "a KEY_CONSUMER token for $project: MariaDB's credential"
consumer=$("$grpcurl_examples/07-create-consumer-token.sh" "$project" "$project-mariadb" 1)
# Kept out of command lines (ps shows them) and out of my.cnf: curl reads the header from a file, mariadbd the
# token from its environment (VAULT_TOKEN), which only its own user and root can read.
printf 'X-Vault-Token: %s\n' "$consumer" >"$dir/vault-token.header"

step "the endpoint answers the plugin's mount check: GET /v1/sys/mounts/$mount/tune"
curl -sS ${curl_tls[@]+"${curl_tls[@]}"} -H @"$dir/vault-token.header" "$vault_addr/v1/sys/mounts/$mount/tune" ||
  fail "no answer from $vault_addr: start the key service with -Datrest.vault-api.enabled=true"
echo

step "my.cnf for a mariadbd of its own in $dir (port $port)"
cat >"$dir/my.cnf" <<EOF
[client]
socket=$dir/mariadbd.sock
user=root

[mariadbd]
datadir=$dir/data
socket=$dir/mariadbd.sock
pid-file=$dir/mariadbd.pid
log-error=$dir/error.log
port=$port
bind-address=127.0.0.1
innodb_buffer_pool_size=64M

# atrest as the key source: key id N is database key "N" of cluster $cluster.
plugin_load_add=hashicorp_key_management
hashicorp-key-management-vault-url=$vault_addr/v1/$mount
${ATREST_VAULT_CACERT:+hashicorp-key-management-vault-ca=$ATREST_VAULT_CACERT}
# hashicorp-key-management-token: not here; mariadbd gets it as VAULT_TOKEN.

innodb_encrypt_tables=FORCE
innodb_encrypt_log=ON
encrypt_tmp_files=ON
aria_encrypt_tables=ON
innodb_encryption_threads=1
innodb_encryption_rotate_key_age=1
EOF
cat "$dir/my.cnf"

start_mariadb() {
  VAULT_TOKEN="$consumer" mariadbd --defaults-file="$dir/my.cnf" --user="$(id -un)" >>"$dir/mariadbd.out" 2>&1 &
  local pid=$!
  for _ in $(seq 1 300); do
    mariadb --defaults-file="$dir/my.cnf" -e 'SELECT 1' >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  tail -n 20 "$dir/error.log" >&2
  fail "mariadbd did not start; see $dir/error.log"
}
stop_mariadb() {
  local pid
  pid=$(cat "$dir/mariadbd.pid")
  mariadb-admin --defaults-file="$dir/my.cnf" shutdown
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}
sql() { mariadb --defaults-file="$dir/my.cnf" --table -e "$1"; }

step "initialise the data directory and start mariadbd (keys 1 and 2 are read for the system tablespace, redo log and temporary files)"
VAULT_TOKEN="$consumer" mariadb-install-db --defaults-file="$dir/my.cnf" --user="$(id -un)" \
  --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 ||
  { tail -n 20 "$dir/install.log" >&2; fail "mariadb-install-db failed; see $dir/install.log"; }
start_mariadb
trap 'stop_mariadb 2>/dev/null || true; [ -n "${MARIADB_DEMO_DIR:-}" ] || rm -rf "$dir"' EXIT
sql "SELECT VERSION() AS version, PLUGIN_NAME, PLUGIN_STATUS FROM information_schema.PLUGINS
     WHERE PLUGIN_NAME = 'hashicorp_key_management'"

step "encrypted tables: customers under key id 1 (the default), orders under ENCRYPTION_KEY_ID=3"
sql "CREATE DATABASE shop;
     CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(64)) ENCRYPTED=YES;
     CREATE TABLE shop.orders (id INT PRIMARY KEY, customer INT, total DECIMAL(10,2)) ENCRYPTED=YES ENCRYPTION_KEY_ID=3;
     INSERT INTO shop.customers VALUES (1, 'Ada'), (2, 'Grace');
     INSERT INTO shop.orders VALUES (10, 1, 12.50), (11, 2, 99.00);"

step "INFORMATION_SCHEMA.INNODB_TABLESPACES_ENCRYPTION: every tablespace encrypted, key ids and versions from atrest"
sql "SELECT NAME, ENCRYPTION_SCHEME, CURRENT_KEY_ID, CURRENT_KEY_VERSION, MIN_KEY_VERSION
     FROM information_schema.INNODB_TABLESPACES_ENCRYPTION ORDER BY NAME"

step "restart MariaDB: it reads its keys from atrest again, then every row reads back"
stop_mariadb
start_mariadb
sql "SELECT c.name, o.id AS order_id, o.total FROM shop.customers c JOIN shop.orders o ON o.customer = c.id ORDER BY o.id"

step "the plugin's lines in MariaDB's error log ('hashicorp:'; none when every key read succeeded)"
grep 'hashicorp' "$dir/error.log" || echo "(none)"

step "atrest's audit log: MariaDB's key reads (GetDatabaseKey over the Vault API, detail vault-kv)"
after=0
while :; do
  page=$(atrest -d "{\"project_id\": \"$project\", \"page_size\": 1000, \"after_sequence\": $after}" \
    "$ATREST_ADDR" atrest.v1.AuditService/ListAuditRecords)
  python3 -c '
import json, sys
for r in json.load(sys.stdin).get("records", []):
    if r.get("action", "").endswith("/GetDatabaseKey"):
        print(r.get("time", ""), r.get("actor", ""), r.get("action", ""), r.get("resource", ""),
              r.get("outcome", ""), r.get("detail", ""), sep="  ")
' <<<"$page"
  after=$(python3 -c 'import json, sys; print(json.load(sys.stdin).get("next_after_sequence", 0))' <<<"$page")
  [ "$after" != 0 ] || break
done

step "stop mariadbd"
stop_mariadb
trap '[ -n "${MARIADB_DEMO_DIR:-}" ] || rm -rf "$dir"' EXIT
echo "done: project $project, cluster $cluster; MariaDB's files $([ -n "${MARIADB_DEMO_DIR:-}" ] && echo "kept in $dir" || echo removed)"
