resource "atrest_cluster_encryption" "orders" {
  project_id                  = atrest_project_encryption.payments.project_id
  cluster_name                = "orders"
  encryption_at_rest_provider = "AWS"

  # Rotate the master key monthly instead of every 90 days.
  rotation_period_days = 30
}
