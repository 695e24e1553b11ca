# Grows every disk of a VM to at least 40 GiB (disks already larger are left as they are).
resource "ovirt_vm" "grown" {
  name        = "grown-1"
  cluster_id  = data.ovirt_cluster.default.id
  template_id = data.ovirt_template.rhcos.id
}

resource "ovirt_vm_disks_resize" "grown" {
  vm_id = ovirt_vm.grown.id
  size  = 42949672960
}
