data "ovirt_hosts" "up" {
  cluster_id = data.ovirt_cluster.default.id
  status     = "up"
}

output "hosts_up" {
  value = data.ovirt_hosts.up.ids
}
