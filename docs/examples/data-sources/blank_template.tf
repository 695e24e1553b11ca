data "ovirt_blank_template" "blank" {}
