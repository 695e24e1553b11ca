# The disks of a template, e.g. to give VMs made from it the same disk layout.
data "ovirt_template_disk_attachments" "rhcos" {
  template_id = data.ovirt_template.rhcos.id
}
