# A two-vCPU VM placed on one host whose CPU pinning the test sets by hand (`pins`), or leaves to
# ovirt_vm_optimize_cpu_settings (`auto`). The test replaces __SOURCE__; OVIRT_* come from the environment.
terraform {
  required_providers {
    ovirt = { source = "__SOURCE__" }
  }
}

provider "ovirt" {}

variable "host_id" { type = string }
variable "pins" {
  type    = map(string)
  default = null
}
variable "auto" {
  type    = bool
  default = false
}

data "ovirt_cluster" "c" { name = "Default" }

resource "ovirt_vm" "app" {
  name                      = "pinned-by-hand"
  cluster_id                = data.ovirt_cluster.c.id
  cpu_sockets               = 1
  cpu_cores                 = 2
  cpu_threads               = 1
  placement_policy_host_ids = [var.host_id]
  cpu_pinning               = var.pins
}

resource "ovirt_vm_optimize_cpu_settings" "app" {
  count = var.auto ? 1 : 0
  vm_id = ovirt_vm.app.id
}
