variable "key_service_endpoint" {
  description = "host:port of the atrest key service's gRPC API."
  type        = string
  default     = "localhost:9090"
}

variable "project_id" {
  description = "The project to encrypt."
  type        = string
  default     = "payments"
}

variable "cmk_arn" {
  description = "The customer master key: key ARN (or alias ARN) of a symmetric KMS key."
  type        = string
  default     = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

variable "region" {
  description = "The CMK's AWS region."
  type        = string
  default     = "eu-west-1"
}

variable "role_arn" {
  description = "IAM role the key service assumes; its policy must allow kms:DescribeKey, kms:Encrypt, kms:Decrypt and kms:GenerateDataKey on the CMK."
  type        = string
  default     = "arn:aws:iam::111122223333:role/atrest-kms"
}

variable "external_id" {
  description = "External id the role's trust policy requires (null if it requires none)."
  type        = string
  default     = "atrest-payments"
}

variable "cluster_names" {
  description = "The project's clusters to encrypt."
  type        = list(string)
  default     = ["orders", "ledger"]
}

variable "atrest_token" {
  description = "ADMIN token for the key service (atrest_…); null falls back to ATREST_TOKEN, then to no token."
  type        = string
  sensitive   = true
  default     = null
}

variable "key_service_ca_certificate_file" {
  description = "PEM file of the CA that signed the key service's TLS certificate; null means plaintext."
  type        = string
  default     = null
}
