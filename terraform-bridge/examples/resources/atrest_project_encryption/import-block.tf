import {
  to = atrest_project_encryption.payments
  id = "payments"
}
