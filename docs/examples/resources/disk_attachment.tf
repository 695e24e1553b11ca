resource "ovirt_disk_attachment" "data" {
  vm_id     = ovirt_vm.web.id
  disk_id   = ovirt_disk.data.id
  interface = "virtio_scsi"
}
