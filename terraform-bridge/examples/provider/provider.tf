terraform {
  required_providers {
    atrest = {
      source  = "registry.terraform.io/atrest/atrest"
      version = "0.1.0"
    }
  }
}

provider "atrest" {
  endpoint = "keys.internal.example.com:9090"
}
