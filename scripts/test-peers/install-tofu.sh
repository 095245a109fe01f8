#!/usr/bin/env bash
# Builds the OpenTofu CLI into <repo>/.tools/bin/tofu for the terraform-bridge acceptance tests.
#
# Why not `go install github.com/opentofu/opentofu/cmd/tofu@VERSION`: OpenTofu's go.mod has `replace`
# directives, and `go install pkg@version` refuses modules that have them. So we build from a tiny module
# of our own that requires OpenTofu and repeats its replace directives (copied from the released go.mod,
# so a version bump needs no edit here).
#
# Idempotent: does nothing when .tools/bin/tofu already exists and runs.
# Usage: scripts/test-peers/install-tofu.sh            (TOFU_VERSION=v1.12.6 by default)
set -euo pipefail

TOFU_VERSION="${TOFU_VERSION:-v1.12.6}"
TOFU_MODULE="github.com/opentofu/opentofu"

repo_root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
bin_dir="$repo_root/.tools/bin"
work_dir="$repo_root/.tools/src/tofu"
tofu="$bin_dir/tofu"

if [[ -x "$tofu" ]] && "$tofu" version >/dev/null 2>&1; then
  echo "tofu already installed: $("$tofu" version 2>/dev/null | grep -m1 OpenTofu) at $tofu" >&2
  exit 0
fi

command -v go >/dev/null || { echo "go is required to build OpenTofu (Go module proxy access)" >&2; exit 1; }
mkdir -p "$bin_dir" "$work_dir"
cd "$work_dir"

# Start from scratch each time: a half-finished earlier attempt must not leak into this one.
rm -f go.mod go.sum
go mod init atrest.dev/tools/tofu >/dev/null 2>&1

# The released go.mod, fetched through the module proxy like any other dependency.
upstream_gomod="$(go mod download -json "$TOFU_MODULE@$TOFU_VERSION" \
  | sed -n 's/^[[:space:]]*"GoMod":[[:space:]]*"\(.*\)",\{0,1\}$/\1/p')"
[[ -f "$upstream_gomod" ]] || { echo "could not download $TOFU_MODULE@$TOFU_VERSION go.mod" >&2; exit 1; }

# Copy the Go version (OpenTofu pins a recent toolchain) and every replace directive, single-line or block.
go_line="$(grep -m1 '^go ' "$upstream_gomod")"
sed -i "s/^go .*/$go_line/" go.mod
awk '
  /^replace[[:space:]]*\($/ { in_block = 1; print; next }
  in_block                  { print; if ($0 ~ /^\)/) in_block = 0; next }
  /^replace[[:space:]]/     { print }
' "$upstream_gomod" >> go.mod

cat > tools.go <<'GO'
//go:build tools

// Package tools pins the OpenTofu CLI as a dependency of this build-only module.
package tools

import _ "github.com/opentofu/opentofu/cmd/tofu"
GO

echo "building $TOFU_MODULE/cmd/tofu $TOFU_VERSION (takes several minutes the first time)" >&2
go get "$TOFU_MODULE@$TOFU_VERSION"
go mod tidy
# dev=no: report the release version ("OpenTofu v1.12.6"), as the official release build does.
go build -trimpath -ldflags "-X $TOFU_MODULE/version.dev=no" -o "$tofu.tmp" "$TOFU_MODULE/cmd/tofu"
mv "$tofu.tmp" "$tofu"
echo "installed: $("$tofu" version 2>/dev/null | grep -m1 OpenTofu) at $tofu" >&2
