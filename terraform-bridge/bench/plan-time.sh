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

# Baseline in the same run, interleaved: the same provider planning one project and no clusters. Both
# pay the provider's start-up (three launches per plan); the ratio shows what 30 resources add to it.
mkdir -p "$work/one"
sed -e 's/range(10)/range(1)/' -e 's/range(20)/range(0)/' -e 's/bench-p/bench-one-p/' "$work/main.tf" > "$work/one/main.tf"
(cd "$work/one" && "$tofu" init -input=false -no-color >/dev/null && "$tofu" apply -auto-approve -input=false -no-color >/dev/null)
times=()
base=()
for ((i = 0; i < runs; i++)); do
  start=$(date +%s%N)
  (cd "$work/one" && "$tofu" plan -detailed-exitcode -input=false -no-color >/dev/null)
  end=$(date +%s%N)
  base+=($(( (end - start) / 1000000 )))
  start=$(date +%s%N)
  "$tofu" plan -detailed-exitcode -input=false -no-color >/dev/null || { echo "plan found changes or failed" >&2; exit 1; }
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
based=($(printf '%s\n' "${base[@]}" | sort -n))
median=${sorted[$((runs / 2))]} base_median=${based[$((runs / 2))]}
echo "tofu plan (10 projects, 20 clusters, no changes) ms over $runs runs: min ${sorted[0]} median $median max ${sorted[$((runs - 1))]}"
echo "baseline tofu plan of 1 project, no clusters ms: median $base_median; ratio 30 resources / 1: $(awk "BEGIN{printf \"%.2f\", $median/$base_median}")"
"$tofu" destroy -auto-approve -input=false -no-color >/dev/null
(cd "$work/one" && "$tofu" destroy -auto-approve -input=false -no-color >/dev/null)
