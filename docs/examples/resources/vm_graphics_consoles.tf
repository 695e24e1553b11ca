# A headless VM: no `console` block removes every graphics console, including the ones the VM got
# from its template or display type. A console added outside Terraform shows as drift.
resource "ovirt_vm" "headless" {
  name       = "headless-1"
  cluster_id = data.ovirt_cluster.default.id
}

resource "ovirt_vm_graphics_consoles" "headless" {
  vm_id = ovirt_vm.headless.id
}

# Only a VNC console on another VM.
resource "ovirt_vm" "vnc_only" {
  name       = "vnc-only-1"
  cluster_id = data.ovirt_cluster.default.id
}

resource "ovirt_vm_graphics_consoles" "vnc_only" {
  vm_id = ovirt_vm.vnc_only.id

  console {
    protocol = "vnc"
  }
}
