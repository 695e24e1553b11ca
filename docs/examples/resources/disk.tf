resource "ovirt_disk" "data" {
  alias             = "web-1-data"
  storage_domain_id = data.ovirt_storage_domain.data.id
  size              = 20 * 1024 * 1024 * 1024 # grows in place; shrinking is refused at plan time
  format            = "cow"
  sparse            = true
}
