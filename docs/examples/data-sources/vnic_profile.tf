# The profile the engine creates with every network has the network's name.
data "ovirt_vnic_profile" "ovirtmgmt" {
  network_name = "ovirtmgmt"
}
