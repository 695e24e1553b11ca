# A running VM whose allowed hosts the test changes: a live migration, not next-run configuration.
terraform {
  required_providers {
    ovirt = { source = "__SOURCE__" }
  }
}

provider "ovirt" {}

variable "host_ids" { type = list(string) }

data "ovirt_cluster" "c" { name = "Default" }
data "ovirt_template" "rhcos" { name = "rhcos-template" }

resource "ovirt_vm" "app" {
  name                      = "mig-app"
  cluster_id                = data.ovirt_cluster.c.id
  template_id               = data.ovirt_template.rhcos.id
  placement_policy_host_ids = var.host_ids
}

resource "ovirt_vm_start" "app" {
  vm_id  = ovirt_vm.app.id
  status = "up"
}
