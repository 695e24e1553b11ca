# A template is made from a VM that is down.
resource "ovirt_vm" "golden" {
  name        = "golden-image"
  cluster_id  = data.ovirt_cluster.default.id
  template_id = data.ovirt_template.rhcos.id
}

resource "ovirt_template" "golden" {
  vm_id        = ovirt_vm.golden.id
  name         = "golden"
  description  = "RHCOS with our additions"
  version_name = "1"
}
