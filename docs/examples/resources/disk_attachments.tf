# All the disks of a VM in one resource: an attachment added outside Terraform shows as drift and is
# detached on the next apply.
resource "ovirt_vm" "files" {
  name       = "files-1"
  cluster_id = data.ovirt_cluster.default.id
}

resource "ovirt_disk" "files_os" {
  alias             = "files-1-os"
  storage_domain_id = data.ovirt_storage_domain.data.id
  size              = 10 * 1024 * 1024 * 1024
  format            = "cow"
  sparse            = true
}

resource "ovirt_disk_attachments" "files" {
  vm_id = ovirt_vm.files.id

  attachment {
    disk_id   = ovirt_disk.files_os.id
    interface = "virtio_scsi"
    bootable  = true
  }
}
