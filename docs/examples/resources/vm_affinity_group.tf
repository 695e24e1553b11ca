resource "ovirt_vm_affinity_group" "web" {
  cluster_id        = data.ovirt_cluster.default.id
  affinity_group_id = ovirt_affinity_group.spread.id
  vm_id             = ovirt_vm.web.id
}
