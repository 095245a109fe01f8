# Rotates every 90 days: hashicorp/time's time_rotating is replaced once it is 90 days old (seen at the
# first plan after that), and its new id replaces the rotation.
resource "time_rotating" "orders_key_1" {
  rotation_days = 90
}

resource "atrest_database_key_rotation" "orders_key_1_scheduled" {
  project_id    = atrest_cluster_encryption.orders.project_id
  cluster_name  = atrest_cluster_encryption.orders.cluster_name
  database_name = "1"

  triggers = {
    rotated = time_rotating.orders_key_1.id
  }
}
