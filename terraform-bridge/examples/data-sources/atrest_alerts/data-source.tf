data "atrest_alerts" "payments" {
  project_id = atrest_project_encryption.payments.project_id
  open_only  = true
}

output "open_key_alerts" {
  value = [for alert in data.atrest_alerts.payments.alerts : "${alert.type}: ${alert.detail}"]
}
