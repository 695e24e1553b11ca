# A VM from the template (one 16 GiB disk) whose disks ovirt_vm_disks_resize grows to var.size.
# The test replaces __SOURCE__; the provider reads OVIRT_* from the environment.
terraform {
  required_providers {
    ovirt = { source = "__SOURCE__" }
  }
}

provider "ovirt" {}

variable "size" { type = number }

data "ovirt_cluster" "c" { name = "Default" }
data "ovirt_template" "rhcos" { name = "rhcos-template" }

resource "ovirt_vm" "app" {
  name        = "resize-app"
  cluster_id  = data.ovirt_cluster.c.id
  template_id = data.ovirt_template.rhcos.id
}

resource "ovirt_vm_disks_resize" "app" {
  vm_id = ovirt_vm.app.id
  size  = var.size
}
