/**
 * The provider's schema as the real terraform sees it (`terraform providers schema -json`): every
 * resource and data source of the issue is there, every attribute has a description, and
 * attributes the engine can change are not force-new.
 */
import { createWorkspace, expectOk, type Workspace } from '../support/terraform';

interface Attr {
  description?: string;
  description_kind?: string;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
}
interface Block {
  description_kind?: string;
  attributes?: Record<string, Attr>;
  block_types?: Record<string, { block: Block }>;
}
interface Schemas {
  provider_schemas: Record<
    string,
    {
      provider: { block: Block };
      resource_schemas: Record<string, { block: Block }>;
      data_source_schemas: Record<string, { block: Block }>;
    }
  >;
}

function undocumented(block: Block, prefix = ''): string[] {
  const out = Object.entries(block.attributes ?? {})
    .filter(([, a]) => !a.description?.trim())
    .map(([n]) => prefix + n);
  for (const [n, b] of Object.entries(block.block_types ?? {}))
    if (n !== 'timeouts') out.push(...undocumented(b.block, `${prefix}${n}.`));
  return out;
}

describe('provider schema (real terraform)', () => {
  let ws: Workspace;
  let schemas: Schemas['provider_schemas'][string];

  beforeAll(async () => {
    ws = await createWorkspace();
    ws.writeFiles({
      'main.tf': `terraform {\n  required_providers {\n    ovirt = { source = "${ws.source}" }\n  }\n}\n`,
    });
    expectOk(await ws.terraform('init'));
    const result = expectOk(await ws.terraform('providers', 'schema', '-json'));
    schemas = Object.values((JSON.parse(result.stdout) as Schemas).provider_schemas)[0]!;
  });
  afterAll(async () => ws?.cleanup());

  it('has every resource and data source of the issue', () => {
    expect(Object.keys(schemas.resource_schemas).sort()).toEqual([
      'ovirt_affinity_group',
      'ovirt_boot_entry',
      'ovirt_disk',
      'ovirt_disk_attachment',
      'ovirt_disk_attachments',
      'ovirt_disk_from_image',
      'ovirt_nic',
      'ovirt_snapshot',
      'ovirt_snapshot_restore',
      'ovirt_tag',
      'ovirt_template',
      'ovirt_vm',
      'ovirt_vm_affinity_group',
      'ovirt_vm_disks_resize',
      'ovirt_vm_graphics_consoles',
      'ovirt_vm_optimize_cpu_settings',
      'ovirt_vm_start',
      'ovirt_vm_tag',
    ]);
    expect(Object.keys(schemas.data_source_schemas).sort()).toEqual([
      'ovirt_affinity_group',
      'ovirt_blank_template',
      'ovirt_cluster',
      'ovirt_cluster_hosts',
      'ovirt_disk_attachments',
      'ovirt_hosts',
      'ovirt_storage_domain',
      'ovirt_template',
      'ovirt_template_disk_attachments',
      'ovirt_templates',
      'ovirt_vm_ips',
      'ovirt_vnic_profile',
    ]);
  });

  it('describes every attribute', () => {
    const missing = [
      ...undocumented(schemas.provider.block).map((n) => `provider.${n}`),
      ...Object.entries(schemas.resource_schemas).flatMap(([t, s]) => undocumented(s.block).map((n) => `${t}.${n}`)),
      ...Object.entries(schemas.data_source_schemas).flatMap(([t, s]) =>
        undocumented(s.block).map((n) => `data.${t}.${n}`),
      ),
    ];
    expect(missing).toEqual([]);
  });

  it('declares its Markdown descriptions as Markdown', () => {
    const vm = schemas.resource_schemas.ovirt_vm!.block;
    expect(vm.attributes!.os_type!.description).toContain('`');
    expect({
      vm: vm.attributes!.os_type!.description_kind,
      provider: schemas.provider.block.attributes!.url!.description_kind,
    }).toEqual({ vm: 'markdown', provider: 'markdown' });
  });

  it('marks secrets sensitive and offers timeouts', () => {
    expect(schemas.provider.block.attributes!.password!.sensitive).toBe(true);
    const vm = schemas.resource_schemas.ovirt_vm!.block;
    expect(vm.block_types!.initialization!.block.attributes!.custom_script!.sensitive).toBe(true);
    expect(Object.keys(vm.block_types!.timeouts!.block.attributes!).sort()).toEqual([
      'create',
      'delete',
      'read',
      'update',
    ]);
    const entry = schemas.resource_schemas.ovirt_boot_entry!.block.attributes!;
    expect([entry.ignition!.sensitive, entry.token!.sensitive, entry.ignition_path!.sensitive]).toEqual([
      true,
      true,
      true,
    ]);
  });
});
