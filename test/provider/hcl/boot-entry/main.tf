# One boot entry on the boot-artifact server. The provider block names only the boot server (no
# engine): boot entries need nothing else. The test replaces __SOURCE__, __URL__ and __TOKEN__.
terraform {
  required_providers {
    ovirt = { source = "__SOURCE__" }
  }
}

provider "ovirt" {
  boot_server {
    url   = "__URL__"
    token = "__TOKEN__"
  }
}

variable "role" { type = string }

resource "ovirt_boot_entry" "master0" {
  name          = "master-0"
  macs          = ["56:6F:1A:2B:00:01"]
  role          = var.role
  ipxe_kernel   = "http://mirror.example/rhcos-live-kernel"
  ipxe_initrd   = ["http://mirror.example/rhcos-live-initramfs.img"]
  ipxe_args     = ["ip=dhcp", "coreos.live.rootfs_url=http://mirror.example/rhcos-live-rootfs.img", "ignition.config.url={{ignition_url}}"]
  ignition      = jsonencode({ ignition = { version = "3.2.0" } })
  one_shot      = true
  require_token = true
  # The token URL goes out in the iPXE answer: only to the machines' network.
  allowed_sources = ["127.0.0.1/32"]
}

output "ignition_path" {
  value     = ovirt_boot_entry.master0.ignition_path
  sensitive = true
}
