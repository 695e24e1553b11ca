# Grows every disk of a VM to at least 40 GiB (disks already larger are left as they are).
resource "ovirt_vm" "db" {
  name        = "db-1"
  cluster_id  = data.ovirt_cluster.default.id
  template_id = data.ovirt_template.rhcos.id
}

resource "ovirt_vm_disks_resize" "db" {
  vm_id = ovirt_vm.db.id
  size  = 42949672960
}
