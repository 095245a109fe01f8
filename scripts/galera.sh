#!/usr/bin/env bash
# A 3-node MariaDB Galera cluster on loopback, from Debian's mariadb-server and galera-4, for the Galera ITs,
# the capacity benchmark and docs/deployment.md. Each node has its own datadir, socket, error log and ports;
# CI's MariaDB on 3306 is never touched. The cluster holds an empty database `atrest` for one service user.
#
#   scripts/galera.sh start            a fresh cluster (wipes $GALERA_DIR), node 1 bootstraps, 2 and 3 join by SST
#   scripts/galera.sh stop             stops every node cleanly
#   scripts/galera.sh env              prints the JDBC URL and credentials as shell exports
#   scripts/galera.sh status           each node's wsrep state, cluster size and SQL port
#   scripts/galera.sh kill N           kill -9 of node N (a crashed writer)
#   scripts/galera.sh stop-node N      a clean shutdown of node N (a rolling restart's first half)
#   scripts/galera.sh start-node N     starts node N again; it rejoins by IST (or SST) and waits until Synced
#
#   GALERA_DIR        where the nodes live            (default: <repo>/target/galera)
#   GALERA_BASE_PORT  node N listens on BASE+N (SQL), BASE+10+N (gcomm), BASE+20+N (IST), BASE+30+N (SST)
#                                                     (default: 24300)
set -euo pipefail
repo_root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
dir="${GALERA_DIR:-$repo_root/target/galera}"
base="${GALERA_BASE_PORT:-24300}"
provider=/usr/lib/galera/libgalera_smm.so
nodes=(1 2 3)
db_user=atrest
db_password=atrest-galera

sql_port() { echo $((base + $1)); }
gcomm_port() { echo $((base + 10 + $1)); }
ist_port() { echo $((base + 20 + $1)); }
sst_port() { echo $((base + 30 + $1)); }
node_dir() { echo "$dir/node$1"; }
client() { mariadb --no-defaults -uroot --socket="$(node_dir "$1")/mysqld.sock" "${@:2}"; }

jdbc_url() {
  local hosts=()
  for n in "${nodes[@]}"; do hosts+=("127.0.0.1:$(sql_port "$n")"); done
  # sequential: every replica writes through the first node that answers, and all move together when it dies;
  # galeraAllowedState=4: only to a Synced node (docs/deployment.md).
  (IFS=,; echo "jdbc:mariadb:sequential://${hosts[*]}/atrest?galeraAllowedState=4")
}

write_config() {
  local n=$1 peers=()
  for p in "${nodes[@]}"; do peers+=("127.0.0.1:$(gcomm_port "$p")"); done
  local home; home="$(node_dir "$n")"
  mkdir -p "$home/data" "$home/tmp"
  cat > "$home/my.cnf" <<EOF
[mariadbd]
user=mysql
datadir=$home/data
tmpdir=$home/tmp
socket=$home/mysqld.sock
pid-file=$home/mysqld.pid
log-error=$home/error.log
port=$(sql_port "$n")
bind-address=127.0.0.1
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_bin
innodb_buffer_pool_size=64M
innodb_log_file_size=48M
max_connections=300

# Galera: row-based replication of InnoDB tables, interleaved auto-increment so that nodes never collide.
wsrep_on=ON
wsrep_provider=$provider
wsrep_cluster_name=atrest-galera
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1:$(gcomm_port "$n")
wsrep_cluster_address=gcomm://$(IFS=,; echo "${peers[*]}")
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$(gcomm_port "$n");ist.recv_addr=127.0.0.1:$(ist_port "$n");gcache.size=64M"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$(sst_port "$n")
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
EOF
}

wait_synced() {
  local n=$1
  for _ in $(seq 1 120); do
    if [[ "$(client "$n" -N -e "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2)" == Synced ]]; then
      return 0
    fi
    if ! kill -0 "$(cat "$(node_dir "$n")/mysqld.pid" 2>/dev/null || echo 0)" 2>/dev/null \
        && ! pgrep -f "defaults-file=$(node_dir "$n")/my.cnf" >/dev/null; then
      echo "galera: node $n exited; its error log ends:" >&2
      tail -n 30 "$(node_dir "$n")/error.log" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "galera: node $n not Synced after 60 s; its error log ends:" >&2
  tail -n 30 "$(node_dir "$n")/error.log" >&2
  return 1
}

launch() {
  local n=$1; shift
  # setsid: the node outlives the shell that started it (ITs and benches call this script and return).
  setsid /usr/sbin/mariadbd --defaults-file="$(node_dir "$n")/my.cnf" "$@" </dev/null >/dev/null 2>&1 &
}

node_pid() {
  pgrep -f "mariadbd --defaults-file=$(node_dir "$1")/my.cnf" || true
}

start_cluster() {
  stop_cluster quietly
  rm -rf "$dir"
  for n in "${nodes[@]}"; do write_config "$n"; done
  # The nodes run as mysql: the rsync daemon a joiner starts for SST runs as the node's user, and as root it
  # would drop to nobody and be refused its own datadir.
  chown -R mysql:mysql "$dir"
  mariadb-install-db --defaults-file="$(node_dir 1)/my.cnf" --auth-root-authentication-method=socket \
    --skip-test-db > "$(node_dir 1)/install.log" 2>&1
  launch 1 --wsrep-new-cluster
  wait_synced 1
  client 1 <<SQL
CREATE DATABASE atrest CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER '$db_user'@'127.0.0.1' IDENTIFIED BY '$db_password';
CREATE USER '$db_user'@'localhost' IDENTIFIED BY '$db_password';
GRANT ALL ON atrest.* TO '$db_user'@'127.0.0.1';
GRANT ALL ON atrest.* TO '$db_user'@'localhost';
SQL
  # Joiners receive node 1's state by SST (rsync); one at a time, so that each has a donor that is not busy.
  for n in 2 3; do
    launch "$n"
    wait_synced "$n"
  done
  local size; size="$(client 1 -N -e "SHOW STATUS LIKE 'wsrep_cluster_size'" | cut -f2)"
  [[ "$size" == 3 ]] || { echo "galera: cluster size is $size, not 3" >&2; exit 1; }
  echo "galera: 3 nodes Synced on SQL ports $(sql_port 1), $(sql_port 2), $(sql_port 3) (datadirs under $dir)" >&2
  print_env
}

stop_node() {
  local n=$1 pid
  pid="$(node_pid "$n")"
  [[ -n "$pid" ]] || return 0
  client "$n" -e "SHUTDOWN" 2>/dev/null || kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  echo "galera: node $n did not stop in 60 s; killing it" >&2
  kill -9 "$pid" 2>/dev/null || true
}

stop_cluster() {
  [[ -d "$dir" ]] || return 0
  # Reverse order: node 1, stopped last, is the one that may bootstrap the next cluster from its state.
  for n in 3 2 1; do stop_node "$n"; done
  [[ "${1:-}" == quietly ]] || echo "galera: stopped" >&2
}

kill_node() {
  local pid; pid="$(node_pid "$1")"
  [[ -n "$pid" ]] || { echo "galera: node $1 is not running" >&2; exit 1; }
  kill -9 "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  echo "galera: node $1 killed (pid $pid)" >&2
}

start_node() {
  local n=$1
  [[ -z "$(node_pid "$n")" ]] || { echo "galera: node $n is already running" >&2; return 0; }
  launch "$n"
  wait_synced "$n"
  echo "galera: node $n rejoined and is Synced" >&2
}

print_env() {
  cat <<EOF
export ATREST_GALERA_JDBC_URL='$(jdbc_url)'
export ATREST_GALERA_USER='$db_user'
export ATREST_GALERA_PASSWORD='$db_password'
export ATREST_GALERA_PORTS='$(sql_port 1),$(sql_port 2),$(sql_port 3)'
EOF
}

status() {
  for n in "${nodes[@]}"; do
    if [[ -n "$(node_pid "$n")" ]]; then
      client "$n" -N -e "SELECT 'node$n', $(sql_port "$n"), (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS
        WHERE VARIABLE_NAME='WSREP_LOCAL_STATE_COMMENT'), (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS
        WHERE VARIABLE_NAME='WSREP_CLUSTER_SIZE')" 2>/dev/null || echo "node$n $(sql_port "$n") starting"
    else
      echo "node$n $(sql_port "$n") down"
    fi
  done
}

require_node() {
  [[ "${1:-}" =~ ^[123]$ ]] || { echo "galera: name a node, 1, 2 or 3" >&2; exit 2; }
}

case "${1:-}" in
  start) start_cluster ;;
  stop) stop_cluster ;;
  env) print_env ;;
  status) status ;;
  kill) require_node "${2:-}"; kill_node "$2" ;;
  stop-node) require_node "${2:-}"; stop_node "$2"; echo "galera: node $2 stopped" >&2 ;;
  start-node) require_node "${2:-}"; start_node "$2" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac
