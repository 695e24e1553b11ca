data "ovirt_storage_domain" "data" {
  name = "data-nfs"
}
