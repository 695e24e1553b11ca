terraform {
  required_providers {
    ovirt = {
      source  = "terraform.local/ovirt-cdktf/ovirt"
      version = "0.1.0"
    }
  }
}

variable "boot_server_url" {
  type = string
}

variable "boot_server_token" {
  type      = string
  sensitive = true
}

# Engine credentials from the environment: OVIRT_URL, OVIRT_USERNAME, OVIRT_PASSWORD, OVIRT_CAFILE.
provider "ovirt" {
  default_timeouts {
    create = "30m"
  }

  # Only needed for ovirt_boot_entry.
  boot_server {
    url   = var.boot_server_url
    token = var.boot_server_token
  }
}
