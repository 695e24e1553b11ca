# A full VM stack against the engine simulator: template clone, extra disk, attachment, NIC,
# affinity group with membership, tag, start, and a template made from a second (down) VM.
# The test replaces __SOURCE__ with the provider's mirror address and sets the variables in
# terraform.tfvars.json; the provider block is empty on purpose (OVIRT_* environment fallbacks).
terraform {
  required_providers {
    ovirt = { source = "__SOURCE__" }
  }
}

provider "ovirt" {}

variable "prefix" { type = string }
variable "vm_name" { type = string }
variable "memory" { type = number }
variable "sockets" { type = number }
variable "disk_size" { type = number }
variable "disk_format" { type = string }
variable "priority" { type = number }

data "ovirt_cluster" "c" { name = "Default" }
data "ovirt_template" "rhcos" { name = "rhcos-template" }
data "ovirt_blank_template" "blank" {}
data "ovirt_storage_domain" "nfs" { name = "data-nfs" }
data "ovirt_vnic_profile" "mgmt" { network_name = "ovirtmgmt" }
data "ovirt_hosts" "up" {
  cluster_id = data.ovirt_cluster.c.id
  status     = "up"
}

resource "ovirt_vm" "node" {
  name                      = var.vm_name
  comment                   = "managed by terraform"
  cluster_id                = data.ovirt_cluster.c.id
  template_id               = data.ovirt_template.rhcos.id
  clone                     = true
  vm_type                   = "server"
  memory                    = var.memory
  memory_guaranteed         = 1073741824
  cpu_sockets               = var.sockets
  cpu_cores                 = 1
  cpu_threads               = 1
  placement_policy_affinity = "migratable"
  placement_policy_host_ids = data.ovirt_hosts.up.ids
  serial_console            = true
  huge_pages                = 2048
  initialization {
    hostname      = "${var.prefix}-node"
    custom_script = jsonencode({ ignition = { version = "3.2.0" } })
    nic_configuration {
      name         = "eth0"
      ipv4_address = "192.0.2.50"
      ipv4_netmask = "255.255.255.0"
      ipv4_gateway = "192.0.2.1"
    }
  }
  timeouts {
    create = "5m"
  }
}

resource "ovirt_disk" "data" {
  alias             = "${var.prefix}-data"
  size              = var.disk_size
  format            = var.disk_format
  sparse            = true
  storage_domain_id = data.ovirt_storage_domain.nfs.id
}

resource "ovirt_disk_attachment" "data" {
  vm_id     = ovirt_vm.node.id
  disk_id   = ovirt_disk.data.id
  interface = "virtio_scsi"
}

resource "ovirt_nic" "nic1" {
  vm_id           = ovirt_vm.node.id
  name            = "nic1"
  vnic_profile_id = data.ovirt_vnic_profile.mgmt.id
}

resource "ovirt_affinity_group" "spread" {
  cluster_id = data.ovirt_cluster.c.id
  name       = "${var.prefix}-spread"
  priority   = var.priority
  enforcing  = true
  vms_rule {
    affinity  = "negative"
    enforcing = true
  }
}

resource "ovirt_vm_affinity_group" "node" {
  cluster_id        = data.ovirt_cluster.c.id
  affinity_group_id = ovirt_affinity_group.spread.id
  vm_id             = ovirt_vm.node.id
}

resource "ovirt_tag" "cluster" {
  name = "${var.prefix}-tag"
}

resource "ovirt_vm_tag" "node" {
  vm_id  = ovirt_vm.node.id
  tag_id = ovirt_tag.cluster.id
}

resource "ovirt_vm_start" "node" {
  vm_id         = ovirt_vm.node.id
  stop_behavior = "stop"
  depends_on    = [ovirt_disk_attachment.data, ovirt_nic.nic1, ovirt_vm_affinity_group.node]
}

data "ovirt_vm_ips" "node" {
  vm_id   = ovirt_vm_start.node.vm_id
  timeout = "1m"
}

resource "ovirt_vm" "golden" {
  name       = "${var.prefix}-golden"
  cluster_id = data.ovirt_cluster.c.id
  template_id = data.ovirt_blank_template.blank.id
  memory     = 1073741824
}

resource "ovirt_template" "golden" {
  vm_id       = ovirt_vm.golden.id
  name        = "${var.prefix}-golden-template"
  description = "made by terraform"
}

output "node_ips" { value = data.ovirt_vm_ips.node.ipv4_addresses }
output "nic_mac" { value = ovirt_nic.nic1.mac }
