# Sourced by the bench scripts: loopback ports for the processes a benchmark starts.

# A port free on 127.0.0.1 now.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# await_port PORT SECONDS PID: waits until something accepts connections on 127.0.0.1:PORT; fails at once if PID
# exits, and after SECONDS otherwise.
await_port() {
  for _ in $(seq 1 "$(($2 * 10))"); do
    kill -0 "$3" 2>/dev/null || return 1
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
