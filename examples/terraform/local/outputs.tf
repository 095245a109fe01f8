output "cluster_state" {
  description = "ENABLED once the cluster's master key exists."
  value       = atrest_cluster_encryption.orders.state
}

output "master_key_versions" {
  description = "The cluster's master-key versions (metadata only, no key material)."
  value       = data.atrest_cluster_keys.orders.master_key_versions[*].version
}

output "next_master_key_rotation" {
  description = "When the service will next rotate the cluster's master key (RFC 3339)."
  value       = atrest_cluster_encryption.orders.next_rotation_time
}
