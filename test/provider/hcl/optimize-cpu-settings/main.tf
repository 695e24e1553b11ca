# One two-vCPU VM whose CPUs ovirt_vm_optimize_cpu_settings auto-pins. The test replaces __SOURCE__;
# the provider reads OVIRT_* from the environment.
terraform {
  required_providers {
    ovirt = { source = "__SOURCE__" }
  }
}

provider "ovirt" {}

data "ovirt_cluster" "c" { name = "Default" }

resource "ovirt_vm" "app" {
  name        = "pinned-app"
  cluster_id  = data.ovirt_cluster.c.id
  cpu_sockets = 1
  cpu_cores   = 2
  cpu_threads = 1
}

resource "ovirt_vm_optimize_cpu_settings" "app" {
  vm_id = ovirt_vm.app.id
}
