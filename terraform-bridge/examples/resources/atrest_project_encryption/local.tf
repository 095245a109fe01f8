resource "atrest_project_encryption" "demo" {
  project_id = "demo"

  local_key_config {
    enabled = true
  }
}
