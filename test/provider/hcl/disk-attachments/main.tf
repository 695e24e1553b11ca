# One VM whose attachments are all owned by ovirt_disk_attachments, the same attachments as the
# data source lists them, and the hosts of its cluster.
# The test replaces __SOURCE__ and sets the variables in terraform.tfvars.json; the provider reads
# OVIRT_* from the environment.
terraform {
  required_providers {
    ovirt = { source = "__SOURCE__" }
  }
}

provider "ovirt" {}

variable "with_b" { type = bool }
variable "b_interface" { type = string }
variable "remove_unmanaged" { type = bool }
variable "foreign_disk_id" { type = string }

data "ovirt_cluster" "c" { name = "Default" }
data "ovirt_storage_domain" "nfs" { name = "data-nfs" }

data "ovirt_cluster_hosts" "all" {
  cluster_id = data.ovirt_cluster.c.id
}

resource "ovirt_vm" "app" {
  name       = "attachments-app"
  cluster_id = data.ovirt_cluster.c.id
}

resource "ovirt_disk" "a" {
  alias             = "attachments-a"
  size              = 1073741824
  format            = "cow"
  storage_domain_id = data.ovirt_storage_domain.nfs.id
}

resource "ovirt_disk" "b" {
  alias             = "attachments-b"
  size              = 1073741824
  format            = "cow"
  storage_domain_id = data.ovirt_storage_domain.nfs.id
}

resource "ovirt_disk_attachments" "all" {
  vm_id            = ovirt_vm.app.id
  remove_unmanaged = var.remove_unmanaged

  attachment {
    disk_id   = ovirt_disk.a.id
    interface = "virtio_scsi"
    bootable  = true
  }

  dynamic "attachment" {
    for_each = var.with_b ? [ovirt_disk.b.id] : []
    content {
      disk_id   = attachment.value
      interface = var.b_interface
    }
  }

  dynamic "attachment" {
    for_each = var.foreign_disk_id != "" ? [var.foreign_disk_id] : []
    content {
      disk_id   = attachment.value
      interface = "virtio"
    }
  }
}

output "host_ids" {
  value = [for h in data.ovirt_cluster_hosts.all.hosts : h.id]
}

data "ovirt_disk_attachments" "app" {
  vm_id      = ovirt_vm.app.id
  depends_on = [ovirt_disk_attachments.all]
}

output "attachments" {
  value = [for a in data.ovirt_disk_attachments.app.attachments : "${a.disk_id} ${a.disk_interface} ${a.bootable} ${a.active}"]
}
