data "atrest_cluster_encryption" "orders" {
  project_id   = "payments"
  cluster_name = "orders"
}

output "orders_next_rotation" {
  value = data.atrest_cluster_encryption.orders.next_rotation_time
}
