# The hosts of a cluster, under the Go provider's name (the same attributes as ovirt_hosts).
data "ovirt_cluster_hosts" "default" {
  cluster_id = data.ovirt_cluster.default.id
}
