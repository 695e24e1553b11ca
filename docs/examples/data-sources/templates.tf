# Every template whose name starts with "rhcos" (all versions).
data "ovirt_templates" "rhcos" {
  search = "name=rhcos*"
}
