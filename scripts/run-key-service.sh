#!/usr/bin/env bash
# Quick start: builds the key service and starts it on its embedded default — an embedded MariaDB
# and the LOCAL (development) root key, data under <repo>/.data — with gRPC on localhost:9090.
# Callers need a token: the first start writes an admin token to <repo>/.data/bootstrap-admin-token,
# which the grpcurl examples read by themselves.
# Extra arguments are passed to the JVM, e.g. -Dquarkus.grpc.server.port=9191.
set -euo pipefail
repo_root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$repo_root"
mvn -B -q install -DskipTests -pl key-service -am
echo "admin token (bootstrap): $repo_root/.data/bootstrap-admin-token (created at the first start; send it as 'authorization: Bearer <token>')"
exec java -Datrest.local-root.enabled=true "$@" -jar key-service/target/quarkus-app/quarkus-run.jar
