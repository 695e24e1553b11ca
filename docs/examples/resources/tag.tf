resource "ovirt_tag" "web" {
  name        = "web"
  description = "The web tier"
}
