# Waits (up to 5 minutes) until the guest agent of the started VM reports a usable address.
data "ovirt_vm_ips" "web" {
  vm_id   = ovirt_vm_start.web.vm_id
  timeout = "5m"
}

output "web_ipv4" {
  value = data.ovirt_vm_ips.web.ipv4_addresses
}
