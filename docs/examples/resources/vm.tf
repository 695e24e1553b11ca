resource "ovirt_vm" "web" {
  name         = "web-1"
  cluster_id   = data.ovirt_cluster.default.id
  template_id  = data.ovirt_template.rhcos.id
  memory       = 8 * 1024 * 1024 * 1024 # bytes; updated in place
  cpu_sockets  = 1
  cpu_cores    = 4
  cpu_threads  = 1
  os_type      = "rhcos_x64"
  boot_devices = ["hd", "network"]

  initialization {
    hostname      = "web-1"
    custom_script = jsonencode({ ignition = { version = "3.2.0" } })
  }

  timeouts {
    create = "30m"
  }
}
