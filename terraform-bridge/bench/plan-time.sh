#!/usr/bin/env bash
# Median wall time of `tofu plan` with no changes for 10 projects and 20 clusters (LOCAL root key).
# Needs: .tools/bin/tofu (scripts/test-peers/install-tofu.sh), the provider mirror (mvn -pl terraform-bridge
# package) and a key service with the LOCAL root enabled at ATREST_ENDPOINT (default localhost:9090).
# Usage: terraform-bridge/bench/plan-time.sh [runs=5]
set -euo pipefail
runs="${1:-5}"
repo="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
tofu="$repo/.tools/bin/tofu"
work="$repo/terraform-bridge/target/bench-plan"
rm -rf "$work" && mkdir -p "$work"

cat > "$work/mirror.tfrc" <<TFRC
provider_installation {
  filesystem_mirror {
    path    = "$repo/terraform-bridge/target/terraform-mirror"
    include = ["registry.terraform.io/atrest/atrest"]
  }
  direct {
    exclude = ["registry.terraform.io/atrest/atrest"]
  }
}
TFRC
cat > "$work/main.tf" <<'TF'
terraform {
  required_providers {
    atrest = { source = "registry.terraform.io/atrest/atrest" }
  }
}
locals {
  projects = toset([for i in range(10) : "bench-p${i}"])
  clusters = { for i in range(20) : "c${i}" => "bench-p${i % 10}" }
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
export TF_CLI_CONFIG_FILE="$work/mirror.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
cd "$work"
"$tofu" init -input=false -no-color >/dev/null
"$tofu" apply -auto-approve -input=false -no-color >/dev/null

times=()
for ((i = 0; i < runs; i++)); do
  start=$(date +%s%N)
  "$tofu" plan -detailed-exitcode -input=false -no-color >/dev/null || { echo "plan found changes or failed" >&2; exit 1; }
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "tofu plan (10 projects, 20 clusters, no changes) ms over $runs runs: min ${sorted[0]} median ${sorted[$((runs / 2))]} max ${sorted[$((runs - 1))]}"
"$tofu" destroy -auto-approve -input=false -no-color >/dev/null
