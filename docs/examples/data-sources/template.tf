# The latest version of the template named "rhcos-template".
data "ovirt_template" "rhcos" {
  name = "rhcos-template"
}
