#!/usr/bin/env bash
# Installs the documentation and API tools scripts/docs.sh uses, into <repo>/.tools/bin (git-ignored),
# idempotently, each from its Go module at a pinned version:
#   buf             proto lint and breaking-change check           github.com/bufbuild/buf
#   protoc-gen-doc  API reference from the proto comments          github.com/pseudomuto/protoc-gen-doc
#   tfplugindocs    Terraform docs from the provider's schema       github.com/hashicorp/terraform-plugin-docs
# Each is skipped when the module version recorded in the binary (`go version -m`) is the pinned one.
set -euo pipefail

BUF_VERSION="${BUF_VERSION:-v1.75.0}"
PROTOC_GEN_DOC_VERSION="${PROTOC_GEN_DOC_VERSION:-v1.5.1}"
TFPLUGINDOCS_VERSION="${TFPLUGINDOCS_VERSION:-v0.25.0}"

repo_root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
bin_dir="$repo_root/.tools/bin"
mkdir -p "$bin_dir"
command -v go >/dev/null || { echo "go is required to install the doc tools (Go module proxy access)" >&2; exit 1; }

# install_tool NAME MODULE PACKAGE VERSION
install_tool() {
  local name="$1" module="$2" package="$3" version="$4"
  if go version -m "$bin_dir/$name" 2>/dev/null | grep -qE "^\s+mod\s+$module\s+$version\s"; then
    return
  fi
  echo "installing $name $version into $bin_dir" >&2
  # -mod=mod: install from the module's own go.mod, whatever the caller's GOFLAGS say.
  GOBIN="$bin_dir" GOFLAGS=-mod=mod go install "$package@$version"
}

install_tool buf github.com/bufbuild/buf github.com/bufbuild/buf/cmd/buf "$BUF_VERSION"
install_tool protoc-gen-doc github.com/pseudomuto/protoc-gen-doc github.com/pseudomuto/protoc-gen-doc/cmd/protoc-gen-doc \
  "$PROTOC_GEN_DOC_VERSION"
install_tool tfplugindocs github.com/hashicorp/terraform-plugin-docs \
  github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs "$TFPLUGINDOCS_VERSION"
