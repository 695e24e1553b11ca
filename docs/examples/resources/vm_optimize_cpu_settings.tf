# Pins each vCPU of a VM to a CPU of a host of its cluster; destroying the resource clears the pinning.
resource "ovirt_vm" "pinned" {
  name        = "pinned-1"
  cluster_id  = data.ovirt_cluster.default.id
  cpu_sockets = 1
  cpu_cores   = 4
  cpu_threads = 1
}

resource "ovirt_vm_optimize_cpu_settings" "pinned" {
  vm_id = ovirt_vm.pinned.id
}
