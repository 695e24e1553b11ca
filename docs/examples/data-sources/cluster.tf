data "ovirt_cluster" "default" {
  name = "Default"
}
