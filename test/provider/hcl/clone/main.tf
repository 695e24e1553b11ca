# VMs made from another VM: one from a snapshot of it, one with the engine's clone action. The test
# replaces __SOURCE__ and sets the variables in terraform.tfvars.json; the provider reads OVIRT_*
# from the environment.
terraform {
  required_providers {
    ovirt = { source = "__SOURCE__" }
  }
}

provider "ovirt" {}

variable "memory" { type = number }
variable "with_template" {
  type    = bool
  default = false
}
variable "extra_clone" {
  type    = bool
  default = false
}

data "ovirt_cluster" "c" { name = "Default" }
data "ovirt_template" "rhcos" { name = "rhcos-template" }

resource "ovirt_vm" "source" {
  name        = "clone-source"
  cluster_id  = data.ovirt_cluster.c.id
  template_id = data.ovirt_template.rhcos.id
  memory      = 4294967296
}

resource "ovirt_snapshot" "golden" {
  vm_id       = ovirt_vm.source.id
  description = "golden"
}

resource "ovirt_vm" "from_snapshot" {
  name               = "from-snapshot"
  cluster_id         = data.ovirt_cluster.c.id
  source_snapshot_id = ovirt_snapshot.golden.snapshot_id
  memory             = var.memory
}

resource "ovirt_vm" "from_vm" {
  name         = "from-vm"
  cluster_id   = data.ovirt_cluster.c.id
  source_vm_id = ovirt_vm.source.id
  template_id  = var.with_template ? data.ovirt_template.rhcos.id : null
  memory       = var.memory
  description  = "a clone"
  depends_on   = [ovirt_snapshot.golden]
}

resource "ovirt_vm" "extra" {
  count        = var.extra_clone ? 1 : 0
  name         = "extra-clone"
  cluster_id   = data.ovirt_cluster.c.id
  source_vm_id = ovirt_vm.source.id
}
