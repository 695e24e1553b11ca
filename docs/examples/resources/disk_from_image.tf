# Upload a qcow2 image (here the RHCOS OpenStack image; an https:// URL works too) into a new disk.
# Format and size come from the image; changed content replaces the disk.
resource "ovirt_disk_from_image" "rhcos" {
  source            = "${path.module}/rhcos-openstack.x86_64.qcow2"
  storage_domain_id = data.ovirt_storage_domain.data.id
  alias             = "rhcos-image"

  timeouts {
    create = "60m"
  }
}
