import {
  to = atrest_cluster_encryption.orders
  id = "payments/orders"
}
