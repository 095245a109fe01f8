#!/usr/bin/env bash
# Quick start: builds the key service and starts it on its embedded default — an embedded MariaDB
# and the LOCAL (development) root key, data under <repo>/.data — with gRPC on localhost:9090.
# Extra arguments are passed to the JVM, e.g. -Dquarkus.grpc.server.port=9191.
set -euo pipefail
repo_root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$repo_root"
mvn -B -q install -DskipTests -pl key-service -am
exec java -Datrest.local-root.enabled=true "$@" -jar key-service/target/quarkus-app/quarkus-run.jar
