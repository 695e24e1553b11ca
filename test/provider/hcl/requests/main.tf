# N VM stacks (VM, disk, attachment, NIC), as bench/provider-scale has them; the ids come from
# the simulator's seed (cluster, NFS storage domain, vNIC profile).
terraform {
  required_providers {
    ovirt = { source = "__SOURCE__" }
  }
}

variable "stacks" { type = number }
variable "cluster_id" { type = string }
variable "storage_domain_id" { type = string }
variable "vnic_profile_id" { type = string }

provider "ovirt" {}

resource "ovirt_vm" "vm" {
  count      = var.stacks
  name       = "counted-${count.index}"
  cluster_id = var.cluster_id
  memory     = 1073741824
}

resource "ovirt_disk" "disk" {
  count             = var.stacks
  alias             = "counted-${count.index}-os"
  size              = 1073741824
  format            = "cow"
  storage_domain_id = var.storage_domain_id
}

resource "ovirt_disk_attachment" "os" {
  count     = var.stacks
  vm_id     = ovirt_vm.vm[count.index].id
  disk_id   = ovirt_disk.disk[count.index].id
  interface = "virtio_scsi"
  bootable  = true
}

resource "ovirt_nic" "nic" {
  count           = var.stacks
  vm_id           = ovirt_vm.vm[count.index].id
  name            = "nic1"
  vnic_profile_id = var.vnic_profile_id
}
