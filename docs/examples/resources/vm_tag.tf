resource "ovirt_vm_tag" "web" {
  tag_id = ovirt_tag.web.id
  vm_id  = ovirt_vm.web.id
}
