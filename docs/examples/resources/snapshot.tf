# A snapshot of the running web VM, with its memory, taken before an upgrade.
resource "ovirt_snapshot" "web_before_upgrade" {
  vm_id          = ovirt_vm.web.id
  description    = "before upgrade"
  persist_memory = true
}
