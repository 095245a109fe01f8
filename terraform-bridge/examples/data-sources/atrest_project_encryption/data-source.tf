data "atrest_project_encryption" "payments" {
  project_id = "payments"
}

output "cmk_valid" {
  value = data.atrest_project_encryption.payments.valid
}
