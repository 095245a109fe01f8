# Encryption at rest with a customer master key in AWS KMS, reached by assuming an IAM role.
terraform {
  required_providers {
    atrest = {
      source  = "registry.terraform.io/atrest/atrest"
      version = "0.1.0"
    }
  }
}

# Each setting can also come from the environment: ATREST_ENDPOINT, ATREST_CA_CERTIFICATE_FILE, ATREST_TOKEN
# (an ADMIN token for this project), ATREST_CLIENT_CERTIFICATE_FILE + ATREST_CLIENT_KEY_FILE (mutual TLS).
provider "atrest" {
  endpoint            = var.key_service_endpoint
  ca_certificate_file = var.key_service_ca_certificate_file
  token               = var.atrest_token
}

resource "atrest_project_encryption" "payments" {
  project_id = var.project_id

  # Open a CMK_ROTATION_OVERDUE alert when the CMK has not changed for 180 days (the default is 365).
  cmk_rotation_alert_days = 180

  aws_kms_config {
    enabled                = true
    customer_master_key_id = var.cmk_arn
    region                 = var.region
    role_arn               = var.role_arn
    external_id            = var.external_id
  }
}

resource "atrest_cluster_encryption" "clusters" {
  for_each = toset(var.cluster_names)

  project_id                  = atrest_project_encryption.payments.project_id
  cluster_name                = each.key
  encryption_at_rest_provider = "AWS"

  # Rotate each cluster's master key monthly (the default is every 90 days).
  rotation_period_days = 30
}

data "atrest_project_encryption" "payments" {
  project_id = atrest_project_encryption.payments.project_id
}
