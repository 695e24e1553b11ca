# One VM whose graphics consoles are owned by ovirt_vm_graphics_consoles. The test replaces
# __SOURCE__ and sets the variables in terraform.tfvars.json; the provider reads OVIRT_* from the
# environment.
terraform {
  required_providers {
    ovirt = { source = "__SOURCE__" }
  }
}

provider "ovirt" {}

variable "protocols" { type = list(string) }

data "ovirt_cluster" "c" { name = "Default" }

resource "ovirt_vm" "app" {
  name       = "consoles-app"
  cluster_id = data.ovirt_cluster.c.id
}

resource "ovirt_vm_graphics_consoles" "app" {
  vm_id = ovirt_vm.app.id

  dynamic "console" {
    for_each = toset(var.protocols)
    content {
      protocol = console.value
    }
  }
}
