/**
 * `ovirt_disk_from_image` end to end with the real terraform against the simulator, with images
 * made by qemu-img: a qcow2 and a raw upload with progress at INFO, an empty second plan, a
 * template made from the uploaded disk through a temporary VM (found by name by data
 * "ovirt_template"), bad input at plan time, a changed file planning a replace, an upload under
 * range faults through the proxy, Ctrl-C mid-upload leaving no disk and no transfer, and import.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEngineSim, SEED_IDS, type EngineSim } from '../../src/engine-sim';
import { createWorkspace, expectOk, resourceValues, type Workspace } from '../support/terraform';

const MiB = 1024 * 1024;

const config = (source: string) => `
terraform {
  required_providers {
    ovirt = { source = "${source}" }
  }
}
provider "ovirt" {}
variable "qcow2" { type = string }
variable "raw" { type = string }

resource "ovirt_disk_from_image" "os" {
  source            = var.qcow2
  storage_domain_id = "${SEED_IDS.nfsDomain}"
  alias             = "e2e-rhcos"
}

# A template from the uploaded disk through a temporary VM that does not stay.
resource "ovirt_template" "rhcos" {
  name       = "e2e-rhcos-template"
  disk_id    = ovirt_disk_from_image.os.id
  cluster_id = "${SEED_IDS.cluster}"
}

data "ovirt_templates" "rhcos" {
  search     = "name=e2e-rhcos-*"
  depends_on = [ovirt_template.rhcos]
}

data "ovirt_template" "rhcos" {
  name       = "e2e-rhcos-template"
  depends_on = [ovirt_template.rhcos]
}

data "ovirt_template_disk_attachments" "rhcos" {
  template_id = ovirt_template.rhcos.id
}

resource "ovirt_disk_from_image" "iso" {
  source            = var.raw
  storage_domain_id = "${SEED_IDS.nfsDomain}"
  alias             = "e2e-raw"
}
`;

/** Writes a qcow2 of `virtualMiB` MiB holding `seed`-dependent data every 2 MiB (real qemu-img). */
function makeQcow2(dir: string, name: string, virtualMiB: number, seed: string): string {
  const raw = path.join(dir, `${name}.raw`);
  fs.writeFileSync(raw, '');
  fs.truncateSync(raw, virtualMiB * MiB);
  const fd = fs.openSync(raw, 'r+');
  for (let i = 0; i < virtualMiB / 2; i++)
    fs.writeSync(
      fd,
      Buffer.alloc(64 * 1024, createHash('sha256').update(`${seed}${i}`).digest()),
      0,
      64 * 1024,
      i * 2 * MiB,
    );
  fs.closeSync(fd);
  const out = path.join(dir, `${name}.qcow2`);
  execFileSync('qemu-img', ['convert', '-q', '-f', 'raw', '-O', 'qcow2', raw, out]);
  fs.rmSync(raw);
  return out;
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('ovirt_disk_from_image end to end (real terraform, simulator, qemu-img images)', () => {
  let sim: EngineSim;
  let ws: Workspace;
  let images: string;
  const tf = (...args: string[]) => ws.run(args, { env: { TF_LOG: 'info' }, timeoutMs: 180_000 });
  const disks = (alias: string) => sim.control.list('disks').filter((d) => d.data.alias === alias && !d.meta.template);
  const running = () => sim.control.list('imagetransfers').filter((t) => !String(t.data.phase).startsWith('finished'));
  const vars = (qcow2: string, raw: string) =>
    ws.writeFiles({ 'terraform.tfvars.json': JSON.stringify({ qcow2, raw }) });

  beforeAll(async () => {
    sim = await startEngineSim({ seed: 14 });
    ws = await createWorkspace({
      env: { OVIRT_URL: sim.url, OVIRT_USERNAME: sim.username, OVIRT_PASSWORD: sim.password, OVIRT_CAFILE: sim.caFile },
    });
    images = path.join(ws.root, 'images');
    fs.mkdirSync(images);
    ws.writeFiles({ 'main.tf': config(ws.source) });
    expectOk(await ws.terraform('init', '-no-color'));
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
    await sim?.stop();
  });

  it('uploads, plans empty, rejects bad input at plan time, replaces on changed content, resumes under faults, survives Ctrl-C, imports', async () => {
    // GIVEN a qcow2 made by qemu-img and a raw image
    const qcow2 = makeQcow2(images, 'rhcos', 16, 'one');
    const raw = path.join(images, 'boot.img');
    fs.writeFileSync(raw, Buffer.alloc(2 * MiB + 1000, 5));
    vars(qcow2, raw);

    // WHEN applied, THEN both disks are ok, sized and hashed from the images, with progress at INFO
    const first = expectOk(await tf('apply', '-auto-approve', '-no-color'));
    expect(first.stderr).toMatch(
      /uploading image into disk "e2e-rhcos": [\d.]+ of [\d.]+ MiB, [\d.]+ MiB\/s, ETA \d+ s/,
    );
    let state = await ws.state();
    const os1 = resourceValues(state, 'ovirt_disk_from_image.os')!;
    expect(os1).toMatchObject({
      format: 'cow',
      size: 16 * MiB,
      status: 'ok',
      source_sha256: sha256(qcow2),
      sparse: true,
    });
    expect(resourceValues(state, 'ovirt_disk_from_image.iso')).toMatchObject({
      format: 'raw',
      size: 2 * MiB + 1024,
      source_sha256: sha256(raw),
    });
    expect(disks('e2e-rhcos').map((d) => d.data.status)).toEqual(['ok']);
    const template = resourceValues(state, 'ovirt_template.rhcos')!;
    expect(template).toMatchObject({ status: 'ok', vm_id: null, disk_id: os1.id });
    expect(sim.control.list('vms').filter((v) => String(v.data.name).startsWith('tmpvm-for-'))).toEqual([]);
    expect(resourceValues(state, 'data.ovirt_templates.rhcos')!.ids).toEqual([template.id]);
    expect(resourceValues(state, 'data.ovirt_template.rhcos')).toMatchObject({ id: template.id, status: 'ok' });
    expect((resourceValues(state, 'data.ovirt_template_disk_attachments.rhcos')!.attachments as unknown[]).length).toBe(
      1,
    );
    expect((await ws.terraform('plan', '-detailed-exitcode', '-no-color')).code).toBe(0);

    // Bad input: a missing file and a size claim the image does not fit are plan-time errors on the attribute
    vars(path.join(images, 'absent.qcow2'), raw);
    const missing = await ws.terraform('plan', '-no-color');
    expect([missing.code, missing.stderr]).toEqual([
      1,
      expect.stringMatching(/Invalid Image Source[\s\S]*source\s+= var\.qcow2[\s\S]*absent\.qcow2 does not exist/),
    ]);
    vars(raw, raw.replace('boot.img', 'empty.img'));
    fs.writeFileSync(path.join(images, 'empty.img'), '');
    const empty = await ws.terraform('plan', '-no-color');
    expect(empty.stderr).toMatch(/empty\.img is empty/);

    // A changed file plans a replace, and the apply makes a new disk (under range faults, through the proxy)
    const qcow2b = makeQcow2(images, 'rhcos', 16, 'two');
    vars(qcow2b, raw);
    const planned = await ws.terraform('plan', '-no-color');
    expect(planned.stdout).toMatch(/ovirt_disk_from_image\.os must be replaced/);
    expect(planned.stdout).toMatch(/source_sha256 .* # forces replacement/);
    sim.control.setFaults({ hostDown: 1, pRangeReset: 0.15, pRange503: 0.15 });
    const faulty = expectOk(await tf('apply', '-auto-approve', '-no-color'));
    sim.control.setFaults({});
    expect(faulty.stderr).toMatch(/image upload: resending after a failure|imageio endpoint unreachable/);
    state = await ws.state();
    const os2 = resourceValues(state, 'ovirt_disk_from_image.os')!;
    expect(os2.id).not.toBe(os1.id);
    expect(os2.source_sha256).toBe(sha256(qcow2b));
    expect(disks('e2e-rhcos').map((d) => d.id)).toEqual([os2.id]);

    // Ctrl-C mid-upload: no disk and no transfer left; the next apply converges
    const big = makeQcow2(images, 'big', 64, 'three');
    vars(big, raw);
    sim.control.setFaults({ rangeDripMs: 30 });
    const child = ws.spawn(['apply', '-auto-approve', '-no-color']);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((r) => child.on('close', r));
    for (let i = 0; i < 600 && running().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(running().length).toBe(1);
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(1);
    expect(out).toMatch(/interrupt/i);
    sim.control.setFaults({});
    for (let i = 0; i < 100 && running().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect({ disks: disks('e2e-rhcos').length, transfers: running().length }).toEqual({ disks: 0, transfers: 0 });
    expectOk(await tf('apply', '-auto-approve', '-no-color'));
    expect(disks('e2e-rhcos').length).toBe(1);

    // Import by disk id: the disk adopts the configured source without a new upload
    const id = String(resourceValues(await ws.state(), 'ovirt_disk_from_image.os')!.id);
    expectOk(await ws.terraform('state', 'rm', 'ovirt_disk_from_image.os'));
    expectOk(await ws.terraform('import', '-no-color', 'ovirt_disk_from_image.os', id));
    const afterImport = await ws.terraform('plan', '-no-color');
    expect(afterImport.stdout).not.toMatch(/must be replaced/);
    expectOk(await ws.terraform('apply', '-auto-approve', '-no-color'));
    expect(resourceValues(await ws.state(), 'ovirt_disk_from_image.os')).toMatchObject({
      id,
      source_sha256: sha256(big),
    });
    expect((await ws.terraform('plan', '-detailed-exitcode', '-no-color')).code).toBe(0);

    expectOk(await ws.terraform('destroy', '-auto-approve', '-no-color'));
    expect(disks('e2e-rhcos').length + disks('e2e-raw').length).toBe(0);
  }, 600_000);
});
