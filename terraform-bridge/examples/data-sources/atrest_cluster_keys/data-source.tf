data "atrest_cluster_keys" "orders" {
  project_id   = "payments"
  cluster_name = "orders"
}

output "current_master_key_version" {
  value = data.atrest_cluster_keys.orders.master_key_versions[0].version
}
