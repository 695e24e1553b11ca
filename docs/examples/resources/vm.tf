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

# A copy of the db VM as its snapshot saved it (independent copies of the disks), with more memory.
resource "ovirt_vm" "db_copy" {
  name               = "db-copy"
  cluster_id         = data.ovirt_cluster.default.id
  source_snapshot_id = ovirt_snapshot.db_before_migration.snapshot_id
  memory             = 4 * 1024 * 1024 * 1024
  depends_on         = [ovirt_snapshot_restore.db]
}

# A clone of the golden VM (which is down) made by the engine's clone action.
resource "ovirt_vm" "golden_clone" {
  name         = "golden-clone"
  cluster_id   = data.ovirt_cluster.default.id
  source_vm_id = ovirt_vm.golden.id
  depends_on   = [ovirt_template.golden]
}
