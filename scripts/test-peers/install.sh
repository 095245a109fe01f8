#!/usr/bin/env bash
# Installs the real peers the test suite talks to, into <repo>/.tools (git-ignored), idempotently:
#   moto_server  AWS KMS + STS emulator (PyPI moto[server]) in .tools/venv
#   grpcurl      the gRPC CLI the examples and their tests use
#   tofu         the OpenTofu CLI for the terraform-bridge acceptance tests (built from its Go module)
#   toxiproxy-server  the TCP fault proxy the KMS fault tests put between the service and moto
# Each is skipped when already present at the pinned version.
set -euo pipefail

MOTO_VERSION="${MOTO_VERSION:-5.2.5}"
GRPCURL_VERSION="${GRPCURL_VERSION:-v1.9.4}"
TOXIPROXY_VERSION="${TOXIPROXY_VERSION:-v2.5.0}"

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
tools="$repo_root/.tools"
mkdir -p "$tools/bin"

if [[ "$("$tools/venv/bin/python" -m pip show moto 2>/dev/null | sed -n 's/^Version: //p')" != "$MOTO_VERSION" ]]; then
  echo "installing moto[server]==$MOTO_VERSION into $tools/venv" >&2
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi
"$tools/venv/bin/moto_server" --help >/dev/null

if ! "$tools/bin/grpcurl" -version 2>&1 | grep -q "${GRPCURL_VERSION#v}"; then
  echo "installing grpcurl $GRPCURL_VERSION into $tools/bin" >&2
  GOBIN="$tools/bin" go install "github.com/fullstorydev/grpcurl/cmd/grpcurl@$GRPCURL_VERSION"
fi

# A go-installed toxiproxy prints "version git": the module version recorded in the binary is what is pinned.
if ! go version -m "$tools/bin/toxiproxy-server" 2>/dev/null \
    | grep -qE "^\s+mod\s+github.com/Shopify/toxiproxy/v2\s+$TOXIPROXY_VERSION\s"; then
  echo "installing toxiproxy-server $TOXIPROXY_VERSION into $tools/bin" >&2
  build="$(mktemp -d)"
  GOBIN="$build" go install "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION"
  mv "$build/server" "$tools/bin/toxiproxy-server"
  rmdir "$build"
fi
"$tools/bin/toxiproxy-server" -help >/dev/null 2>&1

"$here/install-tofu.sh"
echo "test peers ready in $tools: moto $MOTO_VERSION, grpcurl $GRPCURL_VERSION, toxiproxy $TOXIPROXY_VERSION," \
  "$("$tools/bin/tofu" version | head -n 1)" >&2
