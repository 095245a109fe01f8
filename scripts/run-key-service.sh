#!/usr/bin/env bash
# Quick start: builds the key service and starts it on its embedded default — an embedded MariaDB
# and the LOCAL (development) root key, data under <repo>/.data — with gRPC on localhost:9090.
# Works from a checkout anywhere, /tmp included (the service then warns that the system may clean it).
# Callers need a token: the first start writes an admin token to <repo>/.data/bootstrap-admin-token,
# which the grpcurl examples read by themselves.
# Extra arguments are passed to the JVM, e.g. -Dquarkus.grpc.server.port=9191.
set -euo pipefail
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "run-key-service: $tool not found on PATH (needs Java 17 and Maven 3.8+)" >&2; exit 1; }
done
repo_root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$repo_root"
# package, not install: the reactor hands the proto module to the service; ~/.m2 is left alone.
mvn -B -q package -DskipTests -pl key-service -am
echo "admin token (bootstrap): $repo_root/.data/bootstrap-admin-token (created at the first start; send it as 'authorization: Bearer <token>')"
exec java -Datrest.local-root.enabled=true "$@" -jar key-service/target/quarkus-app/quarkus-run.jar
