resource "atrest_project_encryption" "payments" {
  project_id = "payments"

  aws_kms_config {
    enabled                = true
    customer_master_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    region                 = "eu-west-1"
    role_arn               = "arn:aws:iam::111122223333:role/atrest-kms"
    external_id            = "atrest-payments"
  }

  # Open a CMK_ROTATION_OVERDUE alert (see the atrest_alerts data source) when the CMK has not changed
  # for 180 days; the default is 365.
  cmk_rotation_alert_days = 180
}
