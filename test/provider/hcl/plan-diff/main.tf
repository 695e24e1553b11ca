# One resource of every kind with an in-place update, for plans of one-attribute changes. The
# test replaces __SOURCE__, __BOOT_URL__ and __BOOT_TOKEN__ and sets `v` in terraform.tfvars.json
# (every value has a default; each plan changes one of them).
terraform {
  required_providers {
    ovirt = { source = "__SOURCE__" }
  }
}

provider "ovirt" {
  boot_server {
    url   = "__BOOT_URL__"
    token = "__BOOT_TOKEN__"
  }
}

variable "v" {
  type = object({
    vm_comment           = optional(string, "first")
    vm_memory            = optional(number, 1073741824)
    disk_description     = optional(string, "first")
    disk_size            = optional(number, 1073741824)
    attachment_discard   = optional(bool, false)
    nic_name             = optional(string, "nic1")
    group_priority       = optional(number, 1)
    tag_description      = optional(string, "first")
    template_description = optional(string, "first")
    entry_role           = optional(string, "worker")
    start_status         = optional(string, "up")
    other_interface      = optional(string, "virtio_scsi")
    other_consoles       = optional(list(string), ["vnc"])
  })
  default = {}
}

data "ovirt_cluster" "c" { name = "Default" }
data "ovirt_storage_domain" "nfs" { name = "data-nfs" }
data "ovirt_vnic_profile" "mgmt" { network_name = "ovirtmgmt" }

resource "ovirt_vm" "node" {
  name       = "plan-node"
  comment    = var.v.vm_comment
  cluster_id = data.ovirt_cluster.c.id
  memory     = var.v.vm_memory
}

resource "ovirt_disk" "data" {
  alias             = "plan-data"
  description       = var.v.disk_description
  size              = var.v.disk_size
  format            = "cow"
  sparse            = true
  storage_domain_id = data.ovirt_storage_domain.nfs.id
}

resource "ovirt_disk_attachment" "data" {
  vm_id        = ovirt_vm.node.id
  disk_id      = ovirt_disk.data.id
  interface    = "virtio_scsi"
  bootable     = true
  pass_discard = var.v.attachment_discard
}

resource "ovirt_nic" "nic" {
  vm_id           = ovirt_vm.node.id
  name            = var.v.nic_name
  vnic_profile_id = data.ovirt_vnic_profile.mgmt.id
}

resource "ovirt_affinity_group" "spread" {
  cluster_id = data.ovirt_cluster.c.id
  name       = "plan-spread"
  priority   = var.v.group_priority
}

resource "ovirt_vm_affinity_group" "node" {
  cluster_id        = data.ovirt_cluster.c.id
  affinity_group_id = ovirt_affinity_group.spread.id
  vm_id             = ovirt_vm.node.id
}

resource "ovirt_tag" "t" {
  name        = "plan-tag"
  description = var.v.tag_description
}

resource "ovirt_vm_tag" "node" {
  vm_id  = ovirt_vm.node.id
  tag_id = ovirt_tag.t.id
}

resource "ovirt_vm" "golden" {
  name       = "plan-golden"
  cluster_id = data.ovirt_cluster.c.id
  memory     = 1073741824
}

resource "ovirt_template" "golden" {
  vm_id       = ovirt_vm.golden.id
  name        = "plan-golden-template"
  description = var.v.template_description
}

resource "ovirt_boot_entry" "e" {
  name          = "plan-entry"
  macs          = ["56:6f:00:00:01:01"]
  role          = var.v.entry_role
  ipxe_script   = "#!ipxe\nexit"
  ignition      = jsonencode({ ignition = { version = "3.2.0" } })
  require_token = true
}

resource "ovirt_vm_start" "node" {
  vm_id         = ovirt_vm.node.id
  status        = var.v.start_status
  stop_behavior = "stop"
  depends_on    = [ovirt_disk_attachment.data, ovirt_nic.nic, ovirt_vm_affinity_group.node, ovirt_vm_tag.node]
}

# A second VM whose attachments and consoles are owned by the set resources (one owner per VM).
resource "ovirt_vm" "other" {
  name       = "plan-other"
  cluster_id = data.ovirt_cluster.c.id
}

resource "ovirt_disk" "other" {
  alias             = "plan-other-disk"
  size              = 1073741824
  format            = "cow"
  storage_domain_id = data.ovirt_storage_domain.nfs.id
}

resource "ovirt_disk_attachments" "other" {
  vm_id = ovirt_vm.other.id

  attachment {
    disk_id   = ovirt_disk.other.id
    interface = var.v.other_interface
    bootable  = true
  }
}

resource "ovirt_vm_graphics_consoles" "other" {
  vm_id = ovirt_vm.other.id

  dynamic "console" {
    for_each = toset(var.v.other_consoles)
    content {
      protocol = console.value
    }
  }
}
