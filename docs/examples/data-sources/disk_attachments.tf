# The disks attached to a VM.
data "ovirt_disk_attachments" "web" {
  vm_id = ovirt_vm.web.id
}
