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
