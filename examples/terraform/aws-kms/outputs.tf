output "cmk_valid" {
  description = "Whether the key service could use the CMK at its last check."
  value       = data.atrest_project_encryption.payments.valid
}

output "cluster_master_key_versions" {
  description = "Current master-key version of each cluster."
  value       = { for name, cluster in atrest_cluster_encryption.clusters : name => cluster.master_key_version }
}
