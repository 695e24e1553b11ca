# Reads the group back; naming it through the resource defers the read until the group exists.
data "ovirt_affinity_group" "spread" {
  cluster_id = data.ovirt_cluster.default.id
  name       = ovirt_affinity_group.spread.name
}
