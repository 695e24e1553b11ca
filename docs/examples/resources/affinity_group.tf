# Keep the group's VMs on different hosts (soft rule).
resource "ovirt_affinity_group" "spread" {
  cluster_id = data.ovirt_cluster.default.id
  name       = "web-spread"
  priority   = 5

  vms_rule {
    affinity  = "negative"
    enforcing = false
  }
}
