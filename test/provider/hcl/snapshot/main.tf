# A snapshot of a VM before a change, and an explicit restore to it. The test replaces __SOURCE__
# and sets the variables in terraform.tfvars.json; the provider reads OVIRT_* from the environment.
terraform {
  required_providers {
    ovirt = { source = "__SOURCE__" }
  }
}

provider "ovirt" {}

variable "description" { type = string }
variable "restore" { type = bool }
variable "restore_round" { type = string }
variable "restore_snapshot_id" {
  type    = string
  default = ""
}

data "ovirt_cluster" "c" { name = "Default" }
data "ovirt_template" "rhcos" { name = "rhcos-template" }

resource "ovirt_vm" "app" {
  name        = "snap-app"
  cluster_id  = data.ovirt_cluster.c.id
  template_id = data.ovirt_template.rhcos.id
  memory      = 4294967296
}

resource "ovirt_snapshot" "before" {
  vm_id       = ovirt_vm.app.id
  description = var.description
}

resource "ovirt_snapshot_restore" "back" {
  count       = var.restore ? 1 : 0
  vm_id       = ovirt_vm.app.id
  snapshot_id = var.restore_snapshot_id != "" ? var.restore_snapshot_id : ovirt_snapshot.before.snapshot_id
  triggers    = { round = var.restore_round }
}
