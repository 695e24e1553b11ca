# Needs the provider's boot_server block (or OVIRT_BOOT_URL and OVIRT_BOOT_TOKEN).
# The VM network-boots RHCOS live and installs; afterwards it boots from its disk (one_shot).
resource "ovirt_boot_entry" "web" {
  name        = "web-1"
  role        = "worker"
  macs        = [ovirt_nic.web.mac]
  uuid        = ovirt_vm.web.id
  ipxe_kernel = "https://images.example.com/rhcos/rhcos-live-kernel-x86_64"
  ipxe_initrd = ["https://images.example.com/rhcos/rhcos-live-initramfs.x86_64.img"]
  ipxe_args = [
    "ip=dhcp",
    "coreos.live.rootfs_url=https://images.example.com/rhcos/rhcos-live-rootfs.x86_64.img",
    "coreos.inst.install_dev=/dev/sda",
    "coreos.inst.ignition_url={{ignition_url}}",
  ]
  ignition = jsonencode({ ignition = { version = "3.2.0" } })
  one_shot = true
}
