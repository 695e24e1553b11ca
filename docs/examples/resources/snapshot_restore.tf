# Rolls a VM that is down back to its snapshot; change `triggers` to roll back again later.
resource "ovirt_vm" "db" {
  name        = "db-1"
  cluster_id  = data.ovirt_cluster.default.id
  template_id = data.ovirt_template.rhcos.id
}

resource "ovirt_snapshot" "db_before_migration" {
  vm_id       = ovirt_vm.db.id
  description = "before schema migration"
}

resource "ovirt_snapshot_restore" "db" {
  vm_id       = ovirt_vm.db.id
  snapshot_id = ovirt_snapshot.db_before_migration.snapshot_id
  triggers    = { rollback = "1" }
}
