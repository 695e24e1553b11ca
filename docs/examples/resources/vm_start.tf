resource "ovirt_vm_start" "web" {
  vm_id         = ovirt_vm.web.id
  status        = "up"
  stop_behavior = "shutdown" # graceful on destroy, powered off after 2 minutes

  # Start once the VM has its disks and NICs.
  depends_on = [ovirt_disk_attachment.data, ovirt_nic.web]
}
