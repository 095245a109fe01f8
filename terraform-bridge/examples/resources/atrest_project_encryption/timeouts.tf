resource "atrest_project_encryption" "payments" {
  project_id = "payments"
  local_key_config {
    enabled = true
  }
  timeouts {
    delete = "10m"
  }
}
