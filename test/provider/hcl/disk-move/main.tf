# One floating disk whose storage domain the test changes: a move in place, not a replacement.
terraform {
  required_providers {
    ovirt = { source = "__SOURCE__" }
  }
}

provider "ovirt" {}

variable "storage_domain_id" { type = string }

resource "ovirt_disk" "data" {
  alias             = "moving-disk"
  size              = 1073741824
  format            = "cow"
  storage_domain_id = var.storage_domain_id
}
