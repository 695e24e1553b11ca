resource "ovirt_nic" "web" {
  vm_id           = ovirt_vm.web.id
  name            = "nic1"
  vnic_profile_id = data.ovirt_vnic_profile.ovirtmgmt.id
  # mac is assigned from the cluster's MAC pool when unset, and always known after apply.
}
