# Rotates MariaDB's key id 1 of cluster payments/orders once now, and again whenever `triggers` changes.
resource "atrest_database_key_rotation" "orders_key_1" {
  project_id    = atrest_cluster_encryption.orders.project_id
  cluster_name  = atrest_cluster_encryption.orders.cluster_name
  database_name = "1"

  triggers = {
    # Change it (e.g. to "2027-Q2") to rotate again.
    quarter = "2027-Q1"
  }
}

output "orders_key_1_version" {
  value = atrest_database_key_rotation.orders_key_1.version
}
