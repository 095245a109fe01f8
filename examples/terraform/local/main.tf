# Encryption at rest with the LOCAL root key: runs against the quick-start key service on this machine.
terraform {
  required_providers {
    atrest = {
      source  = "registry.terraform.io/atrest/atrest"
      version = "0.1.0"
    }
  }
}

# With no endpoint the provider talks to localhost:9090, the key service's default plaintext gRPC
# port; set ATREST_ENDPOINT (or `endpoint` here) to point it elsewhere. The service wants an ADMIN token
# (the first one is in <data-dir>/bootstrap-admin-token): pass it as TF_VAR_atrest_token or ATREST_TOKEN.
provider "atrest" {
  token = var.atrest_token
}

resource "atrest_project_encryption" "demo" {
  project_id = var.project_id

  # An alert (see data.atrest_alerts) opens when the root key has not changed for this many days.
  cmk_rotation_alert_days = var.cmk_rotation_alert_days

  local_key_config {
    enabled = true
    # Naming another local key is the LOCAL equivalent of changing the CMK: an in-place update.
    key_id = var.local_key_id
  }
}

resource "atrest_cluster_encryption" "orders" {
  # Referencing the project resource orders the graph: clusters are encrypted after the project and
  # disabled before it on destroy (the service refuses to disable a project with encrypted clusters).
  project_id                  = atrest_project_encryption.demo.project_id
  cluster_name                = "orders"
  encryption_at_rest_provider = "LOCAL"

  # The service rotates the cluster's master key this often; a rotation it makes on its own changes
  # master_key_version and the rotation times in state without showing up as a plan diff.
  rotation_period_days = var.rotation_period_days
}

data "atrest_cluster_keys" "orders" {
  project_id   = atrest_cluster_encryption.orders.project_id
  cluster_name = atrest_cluster_encryption.orders.cluster_name
}
