#!/usr/bin/env bash
# Generates the reference documentation and checks the API contract:
#   docs/index.md, docs/resources/, docs/data-sources/  Terraform docs: tfplugindocs from the provider's schema
#                      (as `tofu providers schema -json` reports it) with terraform-bridge/templates and
#                      terraform-bridge/examples
#   docs/api.md        the atrest.v1 API reference: protoc-gen-doc (through `buf generate`) from the proto
#                      comments, with docs/templates/api.md.tmpl
#   buf lint           proto/ against proto/buf.yaml
#   buf breaking       proto/ against proto/baseline/atrest-v1.binpb, the last released atrest.v1
#   links              every relative link in the Markdown files resolves (scripts/check-doc-links.py)
#
#   scripts/docs.sh            regenerate the docs in place
#   scripts/docs.sh --check    generate into a temporary directory and fail if the committed docs differ
#                              (scripts/test.sh runs this), or if lint, breaking, `tofu fmt` or the link check finds anything
#
# The tools come from their Go modules at pinned versions (scripts/test-peers/install-doc-tools.sh, OpenTofu from
# install-tofu.sh). The provider is built (Maven, `package`) only when its file is missing or older than its sources.
set -euo pipefail
repo_root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$repo_root"
started=$SECONDS

check=false
case "${1:-}" in
  --check) check=true ;;
  "") ;;
  *) echo "usage: scripts/docs.sh [--check]" >&2; exit 2 ;;
esac

tools="$repo_root/.tools/bin"
provider_dir="terraform-bridge/target/provider"
provider_file="$provider_dir/terraform-provider-atrest_v0.1.0"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

say() { echo "== docs: $*" >&2; }

scripts/test-peers/install-doc-tools.sh
scripts/test-peers/install-tofu.sh

# --- proto: buf needs google/rpc/*.proto; take them from the jar the Maven build uses (no registry involved).
common_protos_version="$(sed -n 's:.*<google-common-protos.version>\(.*\)</google-common-protos.version>.*:\1:p' pom.xml)"
common_protos_jar="$HOME/.m2/repository/com/google/api/grpc/proto-google-common-protos/$common_protos_version/proto-google-common-protos-$common_protos_version.jar"
if [[ ! -f "$common_protos_jar" ]]; then
  mvn -B -q dependency:get -Dartifact="com.google.api.grpc:proto-google-common-protos:$common_protos_version"
fi
rm -rf proto/target/buf-deps
mkdir -p proto/target/buf-deps
python3 - "$common_protos_jar" proto/target/buf-deps <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as jar:
    for name in jar.namelist():
        if name.startswith("google/rpc/") and name.endswith(".proto"):
            jar.extract(name, sys.argv[2])
PY

say "buf lint"
(cd proto && "$tools/buf" lint src/main/proto)
say "buf breaking against proto/baseline/atrest-v1.binpb"
(cd proto && "$tools/buf" breaking src/main/proto --against baseline/atrest-v1.binpb)

say "API reference (protoc-gen-doc)"
mkdir -p "$work/out"
(cd proto && "$tools/buf" generate src/main/proto --template "$(cat <<JSON
{"version": "v2", "plugins": [{"local": "$tools/protoc-gen-doc", "out": "$work/out", "strategy": "all",
  "opt": "$repo_root/docs/templates/api.md.tmpl,api.md"}]}
JSON
)")

# --- Terraform: the schema as Terraform sees it, from the provider file through a dev_overrides CLI config.
newest_source="$(find terraform-bridge/src/main terraform-bridge/pom.xml proto/src/main -type f -newer "$provider_file" \
  -print -quit 2>/dev/null || true)"
if [[ ! -x "$provider_file" || -n "$newest_source" ]]; then
  say "building the provider (${newest_source:-no provider file yet})"
  mvn -B -q -pl terraform-bridge -am package -DskipTests
fi
say "provider schema (tofu providers schema -json)"
mkdir -p "$work/schema"
cat > "$work/schema/cli.tfrc" <<HCL
provider_installation {
  dev_overrides {
    "registry.terraform.io/atrest/atrest" = "$repo_root/$provider_dir"
  }
  direct {}
}
HCL
cat > "$work/schema/main.tf" <<'HCL'
terraform {
  required_providers {
    atrest = { source = "registry.terraform.io/atrest/atrest" }
  }
}
HCL
(cd "$work/schema" && TF_CLI_CONFIG_FILE="$work/schema/cli.tfrc" "$tools/tofu" providers schema -json > schema.json)
# tfplugindocs looks the schema up by the provider's short name.
python3 - "$work/schema/schema.json" <<'PY'
import json, sys
path = sys.argv[1]
with open(path) as f:
    schemas = json.load(f)
schemas["provider_schemas"] = {"atrest": schemas["provider_schemas"]["registry.terraform.io/atrest/atrest"]}
with open(path, "w") as f:
    json.dump(schemas, f)
PY

say "Terraform docs (tfplugindocs)"
# tfplugindocs writes templates it finds missing and cleans its output directory: it runs on copies.
mkdir -p "$work/tf"
cp -r terraform-bridge/templates terraform-bridge/examples "$work/tf/"
"$tools/tfplugindocs" generate --provider-dir "$work/tf" --provider-name atrest \
  --providers-schema "$work/schema/schema.json" > "$work/tfplugindocs.log" 2>&1 \
  || { cat "$work/tfplugindocs.log" >&2; exit 1; }
list_files() { (cd "$1" && find . -type f | sort); }
if ! diff <(list_files terraform-bridge/templates) <(list_files "$work/tf/templates") > "$work/new-templates.txt"; then
  echo "tfplugindocs made templates for resources or data sources that have none; add them under" \
    "terraform-bridge/templates:" >&2
  cat "$work/new-templates.txt" >&2
  exit 1
fi

# The registry's rules for the rendered files (front matter, layout, a page per resource in the schema).
"$tools/tfplugindocs" validate --provider-dir "$work/tf" --provider-name atrest \
  --providers-schema "$work/schema/schema.json" > "$work/tfplugindocs-validate.log" 2>&1 \
  || { cat "$work/tfplugindocs-validate.log" >&2; exit 1; }

say "tofu fmt -check terraform-bridge/examples"
TF_CLI_CONFIG_FILE="$work/schema/cli.tfrc" "$tools/tofu" fmt -check -recursive terraform-bridge/examples

say "relative links in the Markdown files"
scripts/check-doc-links.py "$repo_root"

# --- the generated set, laid out as under docs/
mkdir -p "$work/generated"
cp -r "$work/tf/docs/." "$work/generated/"
cp "$work/out/api.md" "$work/generated/api.md"
generated=(index.md api.md resources data-sources)

if $check; then
  stale=false
  for path in "${generated[@]}"; do
    if ! diff -ru "docs/$path" "$work/generated/$path" > "$work/diff.txt" 2>&1; then
      stale=true
      head -n 40 "$work/diff.txt" >&2
    fi
  done
  if $stale; then
    echo "generated docs are stale (above: committed vs generated): run scripts/docs.sh and commit the result" >&2
    exit 1
  fi
  say "generated docs are up to date, lint and breaking clean ($((SECONDS - started)) s)"
else
  for path in "${generated[@]}"; do
    rm -rf "docs/$path"
    cp -r "$work/generated/$path" "docs/$path"
  done
  say "wrote docs/{index.md,api.md,resources/,data-sources/} ($((SECONDS - started)) s)"
fi
