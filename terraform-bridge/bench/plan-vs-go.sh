#!/usr/bin/env bash
# The issue's yardstick: a no-change `plan` of 10 projects + 20 clusters with this provider against the same-size
# plan of 30 `time_static` with HashiCorp's Go time provider, interleaved run by run, for terraform and tofu.
# Needs: the provider mirror (mvn -pl terraform-bridge package), a key service with the LOCAL root enabled at
# ATREST_ENDPOINT (default localhost:9090) and its token in ATREST_TOKEN, Go (builds the time provider once into
# <repo>/.bench-tools, git-ignored). CLIS picks the CLIs (default: terraform and tofu, whichever exist).
# Usage: terraform-bridge/bench/plan-vs-go.sh [runs=7]
set -euo pipefail
runs="${1:-7}"
repo="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
work="$repo/terraform-bridge/target/bench-vs-go"
tools="$repo/.bench-tools"
time_version=0.14.2
time_bin="$tools/bin/terraform-provider-time"
fail() { echo "plan-vs-go: $*" >&2; exit 1; }
[[ -n "$(find "$repo/terraform-bridge/target/terraform-mirror" -name 'terraform-provider-atrest_v*' -type f 2>/dev/null)" ]] \
  || fail "no provider mirror: run mvn -B -pl proto,terraform-bridge -am package -DskipTests"
[[ -n "${ATREST_TOKEN:-}" ]] || fail "ATREST_TOKEN is not set: start a key service (scripts/run-key-service.sh) and export its token"
if [[ ! -x "$time_bin" ]]; then
  command -v go >/dev/null || fail "Go not found on PATH: it builds the time provider the plan is measured against"
  GOBIN="$tools/bin" go install "github.com/hashicorp/terraform-provider-time@v$time_version"
fi
clis=()
for cli in ${CLIS:-terraform "$repo/.tools/bin/tofu"}; do command -v "$cli" >/dev/null && clis+=("$cli"); done
((${#clis[@]})) || fail "no terraform or tofu found (scripts/test-peers/install-tofu.sh builds tofu)"

rm -rf "$work" && mkdir -p "$work/go-mirror"
# The Go provider comes from a filesystem mirror too, so both sides pay the same install checks.
for host in registry.terraform.io registry.opentofu.org; do
  dir="$work/go-mirror/$host/hashicorp/time/$time_version/linux_amd64"
  mkdir -p "$dir" && cp "$time_bin" "$dir/terraform-provider-time_v$time_version"
done
cat > "$work/cli.tfrc" <<TFRC
provider_installation {
  filesystem_mirror {
    path    = "$repo/terraform-bridge/target/terraform-mirror"
    include = ["registry.terraform.io/atrest/atrest"]
  }
  filesystem_mirror {
    path    = "$work/go-mirror"
    include = ["registry.terraform.io/hashicorp/time", "registry.opentofu.org/hashicorp/time"]
  }
}
TFRC
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

write_configs() { # $1 = folder, $2 = id prefix
  mkdir -p "$1/atrest" "$1/go"
  cat > "$1/atrest/main.tf" <<TF
terraform {
  required_providers {
    atrest = { source = "registry.terraform.io/atrest/atrest" }
  }
}
locals {
  projects = toset([for i in range(10) : "$2-p\${i}"])
  clusters = { for i in range(20) : "c\${i}" => "$2-p\${i % 10}" }
}
resource "atrest_project_encryption" "p" {
  for_each   = local.projects
  project_id = each.key
  local_key_config { enabled = true }
}
resource "atrest_cluster_encryption" "c" {
  for_each                    = local.clusters
  project_id                  = atrest_project_encryption.p[each.value].project_id
  cluster_name                = each.key
  encryption_at_rest_provider = "LOCAL"
}
TF
  cat > "$1/go/main.tf" <<TF
terraform {
  required_providers {
    time = { source = "hashicorp/time", version = "$time_version" }
  }
}
resource "time_static" "t" {
  count = 30
}
TF
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
plan_ms() { # $1 = cli, $2 = folder: wall time of one no-change plan
  local start end
  start=$(date +%s%N)
  (cd "$2" && "$1" plan -detailed-exitcode -input=false -no-color >/dev/null) \
    || { echo "$1 plan in $2 found changes or failed" >&2; exit 1; }
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

for cli in "${clis[@]}"; do
  name="$(basename "$cli")"
  dir="$work/$name"
  write_configs "$dir" "bench-$name"
  for side in atrest go; do
    (cd "$dir/$side" && "$cli" init -input=false -no-color >/dev/null && "$cli" apply -auto-approve -input=false -no-color >/dev/null)
  done
  ours=() theirs=()
  for ((i = 0; i < runs; i++)); do
    theirs+=("$(plan_ms "$cli" "$dir/go")")
    ours+=("$(plan_ms "$cli" "$dir/atrest")")
  done
  m_ours=$(median "${ours[@]}") m_theirs=$(median "${theirs[@]}")
  echo "$name plan, no changes, $runs interleaved runs (ms): atrest 10 projects + 20 clusters median $m_ours [${ours[*]}]; Go time 30 time_static median $m_theirs [${theirs[*]}]; ratio $(awk "BEGIN{printf \"%.2f\", $m_ours/$m_theirs}") (goal <= 1.5)"
  for side in atrest go; do
    (cd "$dir/$side" && "$cli" destroy -auto-approve -input=false -no-color >/dev/null)
  done
done
