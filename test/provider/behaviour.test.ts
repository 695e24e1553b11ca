/**
 * The provider's behaviour that loses nothing, driven in-process (the SDK harness, real codecs)
 * against the engine simulator: configuration diagnostics, engine faults as diagnostics on the
 * attribute, partial state after a failed create, 404 removes from state, delete stops a running
 * VM, waiting out locks, provider default timeouts, engine requests per VM.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ManualClock, SEED_IDS, startEngineSim, type EngineSim } from '../../src/engine-sim';
import { ProviderHarness } from '../../src/tfplugin/testing';
import { isUnknown } from '../../src/tfplugin';
import { fromDynamic, toDynamic } from '../../src/tfplugin/server/support';
import { ovirtProvider } from '../../src/provider';
import { createCorrelationId } from '../../src/provider/resources/vm';
import { withExistingNames } from '../../src/provider/ops';
import { suggestApiUrl } from '../../src/provider/config';
import { OvirtClient } from '../../src/ovirt';

const GiB = 1024 ** 3;
type Obj = Record<string, unknown>;

function engineConfig(sim: EngineSim, extra: Obj = {}): Obj {
  return { url: sim.url, username: sim.username, password: sim.password, ca_file: sim.caFile, ...extra };
}

async function harness(sim: EngineSim, extra: Obj = {}): Promise<ProviderHarness> {
  const provider = new ProviderHarness(ovirtProvider);
  expect(await provider.configure(engineConfig(sim, extra))).toEqual([]);
  return provider;
}

/** A data source config as ReadDataSource receives it. */
function toDynamicConfig(provider: ProviderHarness, type: string, config: Obj) {
  return toDynamic(provider.fullConfig(type, config), provider.ctx.dataSources.get(type)!.type);
}

const vmConfig = (name: string, extra: Obj = {}): Obj => ({
  name,
  cluster_id: SEED_IDS.cluster,
  memory: GiB,
  ...extra,
});

describe('provider configuration', () => {
  let sim: EngineSim;
  beforeAll(async () => {
    sim = await startEngineSim({ delays: 'none' });
  });
  afterAll(async () => sim.stop());

  it('an unreachable engine is one clear diagnostic naming the URL', async () => {
    const diagnostics = await new ProviderHarness(ovirtProvider).configure({
      url: 'https://127.0.0.1:9/ovirt-engine/api',
      username: 'admin@internal',
      password: 'x',
    });
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', summary: 'Cannot Reach the oVirt Engine' }),
    ]);
    expect(diagnostics[0]!.detail).toContain('https://127.0.0.1:9/ovirt-engine/api');
  });

  it("a wrong password says so, with the engine's reason", async () => {
    const diagnostics = await new ProviderHarness(ovirtProvider).configure(engineConfig(sim, { password: 'wrong' }));
    expect(diagnostics).toEqual([expect.objectContaining({ summary: 'oVirt Authentication Failed' })]);
    expect(diagnostics[0]!.detail).toMatch(/username|password/i);
    expect(diagnostics[0]!.detail).not.toContain('..');
  });

  it('a URL without /api says what was requested and which URL to use', async () => {
    const url = sim.url.replace(/\/api$/, '');
    const diagnostics = await new ProviderHarness(ovirtProvider).configure(engineConfig(sim, { url }));
    expect(diagnostics).toEqual([
      expect.objectContaining({
        summary: 'Not the oVirt Engine API',
        path: [{ attribute: 'url' }],
        detail: `GET ${url} answered HTTP 404, so this URL is not the engine's REST API. Set \`url\` (or OVIRT_URL) to the API URL, which ends in /ovirt-engine/api: ${url}/api`,
      }),
    ]);
  });

  it("suggests the API URL for the web UI's URL or a bare host", () => {
    expect(suggestApiUrl('https://engine.example.com/ovirt-engine/')).toBe(
      'https://engine.example.com/ovirt-engine/api',
    );
    expect(suggestApiUrl('https://engine.example.com:8443')).toBe('https://engine.example.com:8443/ovirt-engine/api');
    expect(suggestApiUrl('https://engine.example.com/ovirt-engine/webadmin/?locale=en')).toBe(
      'https://engine.example.com/ovirt-engine/api',
    );
  });

  it('TLS is verified by default: without the CA the engine is refused', async () => {
    const diagnostics = await new ProviderHarness(ovirtProvider).configure({
      url: sim.url,
      username: sim.username,
      password: sim.password,
    });
    expect(diagnostics).toEqual([expect.objectContaining({ summary: 'oVirt Engine TLS Verification Failed' })]);
  });

  it('falls back to OVIRT_* environment variables', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      OVIRT_URL: sim.url,
      OVIRT_USERNAME: sim.username,
      OVIRT_PASSWORD: sim.password,
      OVIRT_CAFILE: sim.caFile,
    });
    try {
      const provider = new ProviderHarness(ovirtProvider);
      expect(await provider.configure({})).toEqual([]);
      const created = await provider.planApply('ovirt_tag', null, { name: 'from-env' });
      expect(created.diagnostics).toEqual([]);
      process.env.OVIRT_INSECURE = 'maybe';
      expect(await new ProviderHarness(ovirtProvider).configure({})).toEqual([
        expect.objectContaining({ summary: 'Invalid Environment Variable', path: [{ attribute: 'insecure' }] }),
      ]);
    } finally {
      process.env = saved;
    }
  });

  it('keeps the SSO token for the next provider process in the user cache folder, unless OVIRT_TOKEN_CACHE=off', async () => {
    const folder = path.join(process.env.XDG_CACHE_HOME as string, 'ovirt-cdktf', 'sso-tokens');
    const saved = { ...process.env };
    try {
      process.env.OVIRT_TOKEN_CACHE = 'off';
      fs.rmSync(folder, { recursive: true, force: true });
      expect(await new ProviderHarness(ovirtProvider).configure(engineConfig(sim))).toEqual([]);
      expect(fs.existsSync(folder)).toBe(false);
      process.env.OVIRT_TOKEN_CACHE = 'sometimes';
      expect(await new ProviderHarness(ovirtProvider).configure(engineConfig(sim))).toEqual([
        expect.objectContaining({
          summary: 'Invalid Environment Variable',
          detail: expect.stringContaining('OVIRT_TOKEN_CACHE'),
        }),
      ]);
      delete process.env.OVIRT_TOKEN_CACHE;
      const before = sim.control.revokeTokens();
      for (let i = 0; i < 3; i++)
        expect(await new ProviderHarness(ovirtProvider).configure(engineConfig(sim))).toEqual([]);
      expect(sim.control.revokeTokens() - before).toBe(1);
      expect(fs.readdirSync(folder)).toHaveLength(1);
    } finally {
      process.env = saved;
    }
  });

  it('without any engine settings, resources say how to configure it', async () => {
    const saved = { ...process.env };
    for (const k of ['OVIRT_URL', 'OVIRT_USERNAME', 'OVIRT_PASSWORD', 'OVIRT_CAFILE']) delete process.env[k];
    try {
      const provider = new ProviderHarness(ovirtProvider);
      expect(await provider.configure({})).toEqual([]);
      const created = await provider.planApply('ovirt_tag', null, { name: 'x' });
      expect(created.diagnostics).toEqual([expect.objectContaining({ summary: 'Provider Not Configured' })]);
      expect(created.diagnostics[0]!.detail).toContain('OVIRT_URL');
    } finally {
      process.env = saved;
    }
  });
});

describe('resources against the simulator', () => {
  let sim: EngineSim;
  let provider: ProviderHarness;
  beforeAll(async () => {
    sim = await startEngineSim({ delays: 'none' });
    provider = await harness(sim);
  });
  afterAll(async () => sim.stop());

  it('an engine fault becomes a diagnostic with reason and detail on the attribute', async () => {
    const created = await provider.planApply(
      'ovirt_vm',
      null,
      vmConfig('orphan', { template_id: '5a1e0000-0000-4000-8000-0000000eeeee' }),
    );
    expect(created.state).toBeNull();
    expect(created.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        summary: 'oVirt Engine Rejected the Request',
        path: [{ attribute: 'template_id' }],
      }),
    ]);
    expect(created.diagnostics[0]!.detail).toContain(
      "Operation Failed: [Cannot add VM. The relevant Template doesn't exist.]",
    );
  });

  it('plan-time checks: guaranteed memory above memory, shrinking a disk', async () => {
    const planned = await provider.plan('ovirt_vm', null, vmConfig('m', { memory_guaranteed: 2 * GiB }));
    expect(planned.diagnostics).toEqual([
      expect.objectContaining({
        summary: 'Guaranteed Memory Above Memory',
        path: [{ attribute: 'memory_guaranteed' }],
      }),
    ]);
    const disk = { size: 2 * GiB, format: 'cow', storage_domain_id: SEED_IDS.nfsDomain };
    const created = await provider.planApply('ovirt_disk', null, disk);
    const shrink = await provider.plan('ovirt_disk', created.state, { ...disk, size: GiB });
    expect(shrink.diagnostics).toEqual([
      expect.objectContaining({ summary: 'Disk Cannot Shrink', path: [{ attribute: 'size' }] }),
    ]);
  });

  it('adopts only the VM its own interrupted create made; a same-named VM of someone else is refused and left alone', async () => {
    const client = new OvirtClient({
      url: sim.url,
      username: sim.username,
      password: sim.password,
      caFile: sim.caFile,
    });
    const blank = SEED_IDS.blankTemplate;
    try {
      const spec = (name: string) => ({
        name,
        cluster: { id: SEED_IDS.cluster },
        template: { id: blank },
        memory: 2 * GiB,
      });
      const foreign = await client.vms.create(spec('foreign'));
      const refused = await provider.planApply('ovirt_vm', null, vmConfig('foreign'));
      expect(refused.state).toBeNull();
      expect(refused.diagnostics[0]!.detail).toContain('not created by an interrupted run');
      expect((await client.vms.get(foreign.id as never)).memory).toBe(2 * GiB);

      const correlationId = createCorrelationId('interrupted', SEED_IDS.cluster, blank);
      const made = await client.vms.create(spec('interrupted'), { correlationId });
      const adopted = await provider.planApply('ovirt_vm', null, vmConfig('interrupted'));
      expect(adopted.diagnostics).toEqual([]);
      expect(adopted.state!.id).toBe(made.id);
      expect((await client.vms.get(made.id as never)).memory).toBe(GiB);
    } finally {
      await client.close();
    }
  });

  it('a read that gets 404 removes the resource from state', async () => {
    const created = await provider.planApply('ovirt_vm', null, vmConfig('gone'));
    sim.control.remove('vms', String(created.state!.id));
    const read = await provider.read('ovirt_vm', created.state!);
    expect(read).toEqual(expect.objectContaining({ state: null, diagnostics: [] }));
  });

  it('deleting a running VM shuts it down first; deleting it again tolerates it being gone', async () => {
    const vm = await provider.planApply('ovirt_vm', null, vmConfig('runner', { template_id: SEED_IDS.rhcosTemplate }));
    const start = await provider.planApply('ovirt_vm_start', null, { vm_id: vm.state!.id });
    expect(start.diagnostics).toEqual([]);
    expect(sim.control.get('vms', String(vm.state!.id))!.data.status).toBe('up');
    sim.control.resetCounters();
    const del = await provider.planApply('ovirt_vm', vm.state, null);
    expect(del.diagnostics).toEqual([]);
    expect(sim.control.get('vms', String(vm.state!.id))).toBeUndefined();
    expect(sim.control.counters()['POST /vms/{id}/shutdown']).toBe(1);
    expect((await provider.planApply('ovirt_vm', vm.state, null)).diagnostics).toEqual([]);
  });

  it('waits out a disk that stays locked, then changes it', async () => {
    const created = await provider.planApply('ovirt_disk', null, {
      size: GiB,
      format: 'cow',
      storage_domain_id: SEED_IDS.nfsDomain,
    });
    const id = String(created.state!.id);
    sim.control.lock(id);
    setTimeout(() => sim.control.unlock(id), 1500);
    const grown = await provider.planApply('ovirt_disk', created.state, {
      size: 2 * GiB,
      format: 'cow',
      storage_domain_id: SEED_IDS.nfsDomain,
    });
    expect(grown.diagnostics).toEqual([]);
    expect(sim.control.get('disks', id)!.data.provisioned_size).toBe(2 * GiB);
  });

  it('templates: a new version of a template, and the data source picks the latest', async () => {
    const src = await provider.planApply('ovirt_vm', null, vmConfig('tpl-src'));
    const base = await provider.planApply('ovirt_template', null, { vm_id: src.state!.id, name: 'golden' });
    expect(base.state).toMatchObject({ status: 'ok', version_number: 1, base_template_id: null });
    const v2 = await provider.planApply('ovirt_template', null, {
      vm_id: src.state!.id,
      name: 'golden',
      base_template_id: base.state!.id,
      version_name: 'v2',
    });
    expect(v2.diagnostics).toEqual([]);
    expect(v2.state).toMatchObject({ version_number: 2, base_template_id: base.state!.id });
    const ds = await provider.call('ReadDataSource', {
      type_name: 'ovirt_template',
      config: toDynamicConfig(provider, 'ovirt_template', { name: 'golden' }),
    });
    expect(ds.diagnostics ?? []).toEqual([]);
    const latest = fromDynamic(ds.state, provider.ctx.dataSources.get('ovirt_template')!.type) as Obj;
    expect(latest).toMatchObject({
      id: v2.state!.id,
      version_number: 2,
      version_name: 'v2',
      base_template_id: base.state!.id,
    });
  });

  it('vm_start powers off with status = "down" and back on; a VM stopped outside Terraform reads as down', async () => {
    const vm = await provider.planApply('ovirt_vm', null, vmConfig('power', { template_id: SEED_IDS.rhcosTemplate }));
    const on = await provider.planApply('ovirt_vm_start', null, { vm_id: vm.state!.id, stop_behavior: 'stop' });
    const off = await provider.planApply('ovirt_vm_start', on.state, {
      vm_id: vm.state!.id,
      stop_behavior: 'stop',
      status: 'down',
    });
    expect(off.diagnostics).toEqual([]);
    expect(sim.control.get('vms', String(vm.state!.id))!.data.status).toBe('down');
    const again = await provider.planApply('ovirt_vm_start', off.state, { vm_id: vm.state!.id, stop_behavior: 'stop' });
    expect(again.plan.requiresReplace).toEqual([]);
    expect(sim.control.get('vms', String(vm.state!.id))!.data.status).toBe('up');
    sim.control.mutate('vms', String(vm.state!.id), { status: 'down' });
    expect((await provider.read('ovirt_vm_start', again.state!)).state).toMatchObject({ status: 'down' });
  });

  it('template disk overrides shape the copied disk; changing them replaces the VM', async () => {
    const override = {
      disk_id: SEED_IDS.rhcosDisk,
      format: 'raw',
      sparse: false,
      storage_domain_id: SEED_IDS.nfsDomain,
    };
    const cfg = vmConfig('overridden', {
      template_id: SEED_IDS.rhcosTemplate,
      clone: true,
      template_disk_attachment_override: [override],
    });
    const vm = await provider.planApply('ovirt_vm', null, cfg);
    expect(vm.diagnostics).toEqual([]);
    const [att] = sim.control.list('diskattachments').filter((a) => a.parent === vm.state!.id);
    expect(sim.control.get('disks', att!.id)!.data).toMatchObject({ format: 'raw', sparse: false });
    const change = await provider.plan('ovirt_vm', vm.state, {
      ...cfg,
      template_disk_attachment_override: [{ ...override, format: 'cow' }],
    });
    expect(change.requiresReplace).toContain('template_disk_attachment_override');
    const same = await provider.plan('ovirt_vm', vm.state, cfg);
    expect(same.requiresReplace).toEqual([]);
  });

  it('initialization is read back (drift) and removing the block clears it', async () => {
    const init = {
      hostname: 'n1',
      custom_script: '{"ignition":{"version":"3.2.0"}}',
      authorized_ssh_keys: 'ssh-ed25519 AAAA test',
      nic_configuration: [],
    };
    const vm = await provider.planApply('ovirt_vm', null, vmConfig('init', { initialization: init }));
    expect(vm.diagnostics).toEqual([]);
    sim.control.mutate('vms', String(vm.state!.id), { initialization: { host_name: 'edited' } });
    expect((await provider.read('ovirt_vm', vm.state!)).state!.initialization).toMatchObject({
      hostname: 'edited',
      custom_script: init.custom_script,
    });
    const cleared = await provider.planApply('ovirt_vm', vm.state, vmConfig('init'));
    expect(cleared.diagnostics).toEqual([]);
    const after = await provider.read('ovirt_vm', cleared.state!);
    expect(after).toEqual(expect.objectContaining({ diagnostics: [] }));
    expect(after.state!.initialization).toBeNull();
  });

  it('data sources by id or name: exactly one, and a missing name names what was looked for', async () => {
    const type = provider.ctx.dataSources.get('ovirt_cluster')!.type;
    const both = await provider.call('ValidateDataResourceConfig', {
      type_name: 'ovirt_cluster',
      config: toDynamicConfig(provider, 'ovirt_cluster', { id: SEED_IDS.cluster, name: 'Default' }),
    });
    expect(both.diagnostics).toEqual([expect.objectContaining({ summary: 'Give Exactly One of id and name' })]);
    const byId = await provider.call('ReadDataSource', {
      type_name: 'ovirt_cluster',
      config: toDynamicConfig(provider, 'ovirt_cluster', { id: SEED_IDS.cluster }),
    });
    expect(fromDynamic(byId.state, type)).toMatchObject({ name: 'Default', data_center_id: SEED_IDS.datacenter });
    const missing = await provider.call('ReadDataSource', {
      type_name: 'ovirt_storage_domain',
      config: toDynamicConfig(provider, 'ovirt_storage_domain', { name: 'nope' }),
    });
    expect(missing.diagnostics).toEqual([
      expect.objectContaining({
        summary: 'Object Not Found',
        detail: 'No storage domain is named "nope". The engine has: data-iscsi, data-nfs.',
      }),
    ]);
  });

  it('a missing template, network or vNIC profile lists the names that do exist', async () => {
    const read = async (type: string, config: Record<string, unknown>) =>
      (await provider.call('ReadDataSource', { type_name: type, config: toDynamicConfig(provider, type, config) }))
        .diagnostics;
    // Earlier tests of this file add templates: the list is whatever the engine holds now, sorted.
    const templates = [...new Set(sim.control.list('templates').map((t) => String(t.data['name'])))].sort().join(', ');
    expect(templates).toMatch(/^Blank, .*rhcos-template/);
    expect(await read('ovirt_template', { name: 'rhcos' })).toEqual([
      expect.objectContaining({ detail: `No template is named "rhcos". The engine has: ${templates}.` }),
    ]);
    expect(await read('ovirt_vnic_profile', { network_name: 'mgmt' })).toEqual([
      expect.objectContaining({ detail: 'No network is named "mgmt". The engine has: ovirtmgmt.' }),
    ]);
    expect(await read('ovirt_vnic_profile', { network_name: 'ovirtmgmt', name: 'fast' })).toEqual([
      expect.objectContaining({
        detail: 'No vNIC profile "fast" on the network "ovirtmgmt". Its profiles are: ovirtmgmt.',
      }),
    ]);
  });

  it("checks os_type at plan time against the engine's operating systems", async () => {
    const typo = await provider.planApply('ovirt_vm', null, vmConfig('os-typo', { os_type: 'rhcos_x86' }));
    expect(typo.diagnostics).toEqual([
      expect.objectContaining({
        summary: 'Unknown Operating System Type',
        path: [{ attribute: 'os_type' }],
        detail: 'os_type "rhcos_x86" is not an operating system this engine knows. Similar names it knows: rhcos_x64.',
      }),
    ]);
    const unrelated = await provider.planApply('ovirt_vm', null, vmConfig('os-typo', { os_type: 'beos' }));
    expect(unrelated.diagnostics[0]!.detail).toBe(
      'os_type "beos" is not an operating system this engine knows. ' +
        'Names it knows: debian_9, other, other_linux, rhcos_x64, rhel_6x64 and 10 more.',
    );
    expect(sim.control.list('vms').filter((v) => v.data['name'] === 'os-typo')).toEqual([]);
    const ok = await provider.planApply('ovirt_vm', null, vmConfig('os-ok', { os_type: 'rhel_9x64' }));
    expect(ok.diagnostics).toEqual([]);
    expect(sim.control.get('vms', String(ok.state!.id))!.data['os']).toMatchObject({ type: 'rhel_9x64' });
  });

  it('lists a few existing names, then how many more', () => {
    expect(withExistingNames('No cluster is named "x".', ['f', 'e', 'd', 'c', 'b', 'a', 'a', undefined, 'g'])).toBe(
      'No cluster is named "x". The engine has: a, b, c, d, e and 2 more.',
    );
    expect(withExistingNames('No cluster is named "x".', [])).toBe('No cluster is named "x". The engine has none.');
  });

  it('a VM with a disk, an attachment and a NIC costs at most 5 engine requests to create (no name look-up before the VM post)', async () => {
    sim.control.resetCounters();
    const vm = await provider.planApply('ovirt_vm', null, vmConfig('counted'));
    const disk = await provider.planApply('ovirt_disk', null, {
      size: GiB,
      format: 'cow',
      storage_domain_id: SEED_IDS.nfsDomain,
    });
    await provider.planApply('ovirt_disk_attachment', null, {
      vm_id: vm.state!.id,
      disk_id: disk.state!.id,
      interface: 'virtio_scsi',
      bootable: true,
    });
    const nic = await provider.planApply('ovirt_nic', null, {
      vm_id: vm.state!.id,
      name: 'nic1',
      vnic_profile_id: SEED_IDS.vnicProfile,
    });
    expect(nic.state!.mac).toBe(
      (sim.control.get('nics', String(nic.state!.id), String(vm.state!.id))!.data.mac as { address: string }).address,
    );
    const total = Object.values(sim.control.counters()).reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(5);
  });
});

describe('a create that fails after the engine object exists', () => {
  let sim: EngineSim;
  const clock = new ManualClock();
  beforeAll(async () => {
    sim = await startEngineSim({ delays: 'realistic', clock });
  });
  afterAll(async () => sim.stop());

  it('returns the partial state with its id (provider default_timeouts bound the wait)', async () => {
    const provider = await harness(sim, { default_timeouts: { create: '1s' } });
    // The template's disk copy never finishes (the clock does not move): the VM stays image_locked.
    const created = await provider.planApply(
      'ovirt_vm',
      null,
      vmConfig('stuck', { template_id: SEED_IDS.rhcosTemplate }),
    );
    expect(created.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', summary: 'oVirt Operation Timed Out' }),
    ]);
    expect(created.diagnostics[0]!.detail).toContain('default_timeouts');
    expect(created.state).toEqual(expect.objectContaining({ name: 'stuck', status: 'image_locked' }));
    expect(isUnknown(created.state!.id)).toBe(false);
    expect(sim.control.get('vms', String(created.state!.id))).toBeDefined();
  });
});
