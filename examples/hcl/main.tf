# The single-VM example (examples/single-vm) in plain HCL, for teams that do not use CDKTF:
# 2 vCPUs, 4 GiB, a 20 GiB disk and a NIC, started. Engine credentials come from the environment
# (OVIRT_URL, OVIRT_USERNAME, OVIRT_PASSWORD, and OVIRT_CAFILE or OVIRT_INSECURE), never from this file.
#
#   terraform init && terraform apply -var cluster_id=... -var storage_domain_id=... -var vnic_profile_id=...
#
# The provider comes from the filesystem mirror that `ovirt-cdktf install-provider` writes.

terraform {
  required_version = ">= 1.5"
  required_providers {
    ovirt = {
      source  = "terraform.local/ovirt-cdktf/ovirt"
      version = "0.1.0"
    }
  }
  backend "local" {
    path = "terraform.tfstate"
  }
}

provider "ovirt" {}

variable "cluster_id" {
  type        = string
  description = "Id of the cluster the VM runs in."
}

variable "storage_domain_id" {
  type        = string
  description = "Id of the storage domain for the VM's disk."
}

variable "vnic_profile_id" {
  type        = string
  description = "Id of the vNIC profile (network) of the VM's NIC."
}

resource "ovirt_vm" "web" {
  name        = "web-1"
  cluster_id  = var.cluster_id
  cpu_sockets = 1
  cpu_cores   = 2
  cpu_threads = 1
  memory      = 4 * 1024 * 1024 * 1024
}

resource "ovirt_disk" "root" {
  storage_domain_id = var.storage_domain_id
  size              = 20 * 1024 * 1024 * 1024
  format            = "cow"
  sparse            = true
}

resource "ovirt_disk_attachment" "root" {
  vm_id     = ovirt_vm.web.id
  disk_id   = ovirt_disk.root.id
  interface = "virtio_scsi"
  bootable  = true
  active    = true
}

resource "ovirt_nic" "nic1" {
  vm_id           = ovirt_vm.web.id
  name            = "nic1"
  vnic_profile_id = var.vnic_profile_id
}

resource "ovirt_vm_start" "web" {
  vm_id      = ovirt_vm.web.id
  depends_on = [ovirt_disk_attachment.root, ovirt_nic.nic1]
}

output "vm_id" {
  value = ovirt_vm.web.id
}

output "vm_mac" {
  value = ovirt_nic.nic1.mac
}
