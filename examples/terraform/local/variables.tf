variable "project_id" {
  description = "The project whose encryption at rest this example manages."
  type        = string
  default     = "demo"
}

variable "local_key_id" {
  description = "Which LOCAL root key protects the project; the service creates it on first use."
  type        = string
  default     = "default"
}

variable "cmk_rotation_alert_days" {
  description = "Days without a root-key change after which the service opens a CMK_ROTATION_OVERDUE alert (1 to 3650)."
  type        = number
  default     = 365
}

variable "rotation_period_days" {
  description = "How often the service rotates the cluster's master key, in days (1 to 3650)."
  type        = number
  default     = 90
}

variable "atrest_token" {
  description = "ADMIN token for the key service (atrest_…); null falls back to ATREST_TOKEN, then to no token."
  type        = string
  sensitive   = true
  default     = null
}
