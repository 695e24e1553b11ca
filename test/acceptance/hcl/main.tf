# The acceptance stack: a VM from the user's template with an extra disk, its attachment and a NIC
# on the user's network, powered up or down, optionally with a boot entry for its MAC. Every name
# starts with var.prefix (acc-<random>-), which is what cleanup and --sweep look for.
# The runner replaces __SOURCE__; the engine comes from the OVIRT_* environment variables and the
# boot server from OVIRT_BOOT_URL / OVIRT_BOOT_TOKEN.
terraform {
  required_providers {
    ovirt = { source = "__SOURCE__" }
  }
}

provider "ovirt" {}

variable "prefix" { type = string }
variable "cluster" { type = string }
variable "template" { type = string }
variable "storage_domain" { type = string }
variable "network" { type = string }
variable "memory" { type = number }
variable "cpu_sockets" { type = number }
variable "comment" { type = string }
variable "disk_size" { type = number }
variable "power" { type = string }
variable "boot_entry" { type = bool }
variable "custom_script" {
  type      = string
  sensitive = true
}
variable "root_password" {
  type      = string
  sensitive = true
}
variable "ssh_key" { type = string }

data "ovirt_cluster" "c" { name = var.cluster }
data "ovirt_template" "t" { name = var.template }
data "ovirt_storage_domain" "sd" { name = var.storage_domain }
data "ovirt_vnic_profile" "net" { network_name = var.network }

resource "ovirt_vm" "vm" {
  name        = "${var.prefix}vm"
  comment     = var.comment
  cluster_id  = data.ovirt_cluster.c.id
  template_id = data.ovirt_template.t.id
  memory      = var.memory
  # Set, so that a template guaranteeing more than var.memory does not make the VM invalid.
  memory_guaranteed = 536870912
  cpu_sockets       = var.cpu_sockets
  cpu_cores         = 1
  cpu_threads       = 1
  initialization {
    hostname            = "${var.prefix}vm.acceptance.invalid"
    custom_script       = var.custom_script
    root_password       = var.root_password
    authorized_ssh_keys = var.ssh_key
  }
}

resource "ovirt_disk" "data" {
  alias             = "${var.prefix}data"
  size              = var.disk_size
  format            = "cow"
  sparse            = true
  storage_domain_id = data.ovirt_storage_domain.sd.id
}

resource "ovirt_disk_attachment" "data" {
  vm_id     = ovirt_vm.vm.id
  disk_id   = ovirt_disk.data.id
  interface = "virtio_scsi"
}

resource "ovirt_nic" "nic" {
  vm_id           = ovirt_vm.vm.id
  name            = "nic1"
  vnic_profile_id = data.ovirt_vnic_profile.net.id
}

resource "ovirt_vm_start" "vm" {
  vm_id         = ovirt_vm.vm.id
  status        = var.power
  stop_behavior = "stop"
  depends_on    = [ovirt_disk_attachment.data, ovirt_nic.nic]
}

resource "ovirt_boot_entry" "vm" {
  count       = var.boot_entry ? 1 : 0
  name        = "${var.prefix}vm"
  macs        = [ovirt_nic.nic.mac]
  role        = "acceptance"
  ipxe_kernel = "http://mirror.invalid/acceptance-kernel"
  ipxe_args   = ["ip=dhcp"]
}
