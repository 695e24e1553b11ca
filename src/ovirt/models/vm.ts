/** VM models: the VM itself, its NICs, reported devices and cloud-init initialization. */
import { z } from 'zod';
import { diskAttachmentSchema } from './disk';
import {
  identified,
  model,
  zBool,
  zDate,
  zInt,
  zLink,
  zList,
  zRef,
  zStr,
  zMac,
  zTopology,
  zObject,
} from './zod-helpers';

/** VmStatus values (lower case on the wire). */
export type VmStatus =
  | 'unassigned'
  | 'down'
  | 'up'
  | 'powering_up'
  | 'paused'
  | 'migrating'
  | 'unknown'
  | 'not_responding'
  | 'wait_for_launch'
  | 'reboot_in_progress'
  | 'saving_state'
  | 'restoring_state'
  | 'suspended'
  | 'image_locked'
  | 'powering_down';

/** An IP address, built with each model that has one. */
const ip = () =>
  zObject({
    address: zStr.optional(),
    netmask: zStr.optional(),
    gateway: zStr.optional(),
    version: zStr.optional(),
  });
/** An IP address (`<ip><address/><netmask/><gateway/><version>v4</version></ip>`). */
export type Ip = z.infer<ReturnType<typeof ip>>;

/** One NIC of `initialization/nic_configurations`. */
export const nicConfigurationSchema = model('nic_configuration', () =>
  zObject({
    name: zStr.optional(),
    on_boot: zBool.optional(),
    boot_protocol: zStr.optional(),
    ip: ip().optional(),
    ipv6_boot_protocol: zStr.optional(),
    ipv6: ip().optional(),
  }),
);

/** Cloud-init / sysprep initialization of a VM (no `user_data` in v4: raw cloud-init is `custom_script`). */
export const initializationSchema = model('initialization', () =>
  zObject({
    host_name: zStr.optional(),
    domain: zStr.optional(),
    timezone: zStr.optional(),
    user_name: zStr.optional(),
    root_password: zStr.optional(),
    authorized_ssh_keys: zStr.optional(),
    regenerate_ssh_keys: zBool.optional(),
    dns_servers: zStr.optional(),
    dns_search: zStr.optional(),
    custom_script: zStr.optional(),
    cloud_init_network_protocol: zStr.optional(),
    nic_configurations: zList('nic_configuration', nicConfigurationSchema),
  }),
);
/** VM initialization (cloud-init). */
export type Initialization = z.infer<typeof initializationSchema>;

/** A device the guest agent reports (`/vms/{id}/reporteddevices`): interface name, MAC, IPs. */
export const reportedDeviceSchema = model('reported_device', () =>
  z.object({
    ...identified,
    type: zStr.optional(),
    ips: zList('ip', ip()),
    mac: zMac.optional(),
    vm: zRef.optional(),
  }),
);
/** A reported device. */
export type ReportedDevice = z.infer<typeof reportedDeviceSchema>;

/** A VM NIC (`/vms/{id}/nics`). */
export const nicSchema = model('nic', () =>
  z.object({
    ...identified,
    interface: zStr.optional(),
    linked: zBool.optional(),
    plugged: zBool.optional(),
    mac: zMac.optional(),
    vnic_profile: zRef.optional(),
    vm: zRef.optional(),
    reported_devices: zList('reported_device', reportedDeviceSchema),
  }),
);
/** A VM NIC. */
export type Nic = z.infer<typeof nicSchema>;

/** A VM (`GET /vms/{id}`); fields the project uses, unknown elements ignored. */
export const vmSchema = model('vm', () =>
  z.object({
    ...identified,
    status: zStr.optional(),
    stop_reason: zStr.optional(),
    type: zStr.optional(),
    memory: zInt.optional(),
    memory_policy: zObject({
      guaranteed: zInt.optional(),
      max: zInt.optional(),
      ballooning: zBool.optional(),
    }).optional(),
    cpu: zObject({
      architecture: zStr.optional(),
      mode: zStr.optional(),
      topology: zTopology.optional(),
      cpu_tune: zObject({
        vcpu_pins: zList('vcpu_pin', zObject({ vcpu: zInt.optional(), cpu_set: zStr.optional() })),
      }).optional(),
    }).optional(),
    cpu_pinning_policy: zStr.optional(),
    cpu_shares: zInt.optional(),
    os: zObject({
      type: zStr.optional(),
      boot: zObject({ devices: zList('device', zStr) }).optional(),
    }).optional(),
    bios: zObject({ type: zStr.optional() }).optional(),
    high_availability: zObject({ enabled: zBool.optional(), priority: zInt.optional() }).optional(),
    placement_policy: zObject({ affinity: zStr.optional(), hosts: zList('host', zRef) }).optional(),
    console: zObject({ enabled: zBool.optional() }).optional(),
    soundcard_enabled: zBool.optional(),
    custom_properties: zList('custom_property', zObject({ name: zStr.optional(), value: zStr.optional() })),
    initialization: initializationSchema.optional(),
    stateless: zBool.optional(),
    delete_protected: zBool.optional(),
    run_once: zBool.optional(),
    next_run_configuration_exists: zBool.optional(),
    use_latest_template_version: zBool.optional(),
    fqdn: zStr.optional(),
    creation_time: zDate.optional(),
    start_time: zDate.optional(),
    stop_time: zDate.optional(),
    cluster: zRef.optional(),
    template: zRef.optional(),
    original_template: zRef.optional(),
    instance_type: zRef.optional(),
    host: zRef.optional(),
    cpu_profile: zRef.optional(),
    // Present only when asked for with `follow=disk_attachments,nics`.
    disk_attachments: zList('disk_attachment', diskAttachmentSchema),
    nics: zList('nic', nicSchema),
    link: z.preprocess((v) => (v === undefined || Array.isArray(v) ? v : [v]), z.array(zLink).optional()),
  }),
);
/** A VM. `status` is a {@link VmStatus}. */
export type Vm = z.infer<typeof vmSchema>;
