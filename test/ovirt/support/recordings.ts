/**
 * Reads a recording folder (OVIRT_RECORD, see src/ovirt/record.ts): every exchange of every
 * index.jsonl below it, each response body parsed and decoded into the client's model for its path,
 * each text checked for unscrubbed secrets. Returns the problems, one line each.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import {
  actionResultSchema,
  affinityGroupSchema,
  apiSchema,
  clusterSchema,
  dataCenterSchema,
  decodeEntity,
  decodeList,
  diskAttachmentSchema,
  diskSchema,
  graphicsConsoleSchema,
  hostSchema,
  imageTransferSchema,
  jobSchema,
  networkSchema,
  nicSchema,
  parseBody,
  reportedDeviceSchema,
  snapshotSchema,
  storageDomainSchema,
  tagSchema,
  templateSchema,
  vmSchema,
  vnicProfileSchema,
  type WireFormat,
} from '../../../src/ovirt';
import type { RecordedExchange } from '../../../src/ovirt/record';
import { unscrubbed } from '../../../src/ovirt/scrub';
import { extractFault } from '../../../src/ovirt/transport';

/** Collections by path segment: [plural element, entity element, model]. */
const COLLECTIONS: Record<string, [string, string, z.ZodType]> = {
  vms: ['vms', 'vm', vmSchema],
  templates: ['templates', 'template', templateSchema],
  disks: ['disks', 'disk', diskSchema],
  diskattachments: ['disk_attachments', 'disk_attachment', diskAttachmentSchema],
  nics: ['nics', 'nic', nicSchema],
  reporteddevices: ['reported_devices', 'reported_device', reportedDeviceSchema],
  clusters: ['clusters', 'cluster', clusterSchema],
  datacenters: ['data_centers', 'data_center', dataCenterSchema],
  storagedomains: ['storage_domains', 'storage_domain', storageDomainSchema],
  hosts: ['hosts', 'host', hostSchema],
  networks: ['networks', 'network', networkSchema],
  vnicprofiles: ['vnic_profiles', 'vnic_profile', vnicProfileSchema],
  affinitygroups: ['affinity_groups', 'affinity_group', affinityGroupSchema],
  tags: ['tags', 'tag', tagSchema],
  jobs: ['jobs', 'job', jobSchema],
  imagetransfers: ['image_transfers', 'image_transfer', imageTransferSchema],
  snapshots: ['snapshots', 'snapshot', snapshotSchema],
  graphicsconsoles: ['graphics_consoles', 'graphics_console', graphicsConsoleSchema],
};
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every index.jsonl at or below `dir`. */
export function recordingIndexes(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => path.basename(f) === 'index.jsonl')
    .map((f) => path.join(dir, f))
    .sort();
}

/** Decodes one API response body by its path; throws what does not parse. */
function decodeApiBody(apiPath: string, method: string, status: number, text: string, format: WireFormat): void {
  const tree = parseBody(text, format, apiPath);
  if (status >= 400) {
    if (!extractFault(tree, format).reason) throw new Error('an error body without a fault reason');
    return;
  }
  const segs = apiPath.split('/').filter(Boolean);
  if (segs.length === 0) {
    decodeEntity(tree, format, 'api', apiSchema, apiPath);
    return;
  }
  const last = segs.at(-1) ?? '';
  // Actions (`/vms/ID/start`) and removals answer with an <action>.
  if (method === 'DELETE' || (method === 'POST' && !ID.test(last) && !COLLECTIONS[last])) {
    decodeEntity(tree, format, 'action', actionResultSchema, apiPath);
    return;
  }
  const isEntity = ID.test(last) || method === 'POST';
  const kind = COLLECTIONS[ID.test(last) ? (segs.at(-2) ?? '') : last];
  if (!kind) return; // a collection the client has no model for: parsing it was the check
  if (isEntity) decodeEntity(tree, format, kind[1], kind[2], apiPath);
  else decodeList(tree, format, kind[0], kind[1], kind[2], apiPath);
}

/** Checks every exchange of the recording; returns [exchanges read, problems]. */
export function checkRecording(
  dir: string,
  apiPrefix = '/ovirt-engine/api',
): { exchanges: number; problems: string[] } {
  const problems: string[] = [];
  let exchanges = 0;
  for (const index of recordingIndexes(dir)) {
    const folder = path.dirname(index);
    const raw = fs.readFileSync(index, 'utf8');
    for (const leak of unscrubbed(raw)) problems.push(`${index}: unscrubbed ${leak}`);
    for (const line of raw.split('\n').filter(Boolean)) {
      exchanges++;
      const exchange = JSON.parse(line) as RecordedExchange;
      const where = `${path.relative(dir, folder)} #${exchange.seq} ${exchange.method} ${exchange.path}`;
      if (typeof exchange.seq !== 'number' || !exchange.method || !exchange.path.startsWith('/')) {
        problems.push(`${where}: malformed index line`);
        continue;
      }
      const file = exchange.response?.file;
      if (file === undefined || exchange.status === undefined) continue;
      const text = fs.readFileSync(path.join(folder, file), 'utf8');
      for (const leak of unscrubbed(text)) problems.push(`${where}: unscrubbed ${leak}`);
      const [bare = ''] = exchange.path.split('?');
      if (!(bare === apiPrefix || bare.startsWith(apiPrefix + '/'))) continue; // SSO and logout: JSON, checked for secrets only
      const format = file.endsWith('.json') ? 'json' : file.endsWith('.xml') ? 'xml' : undefined;
      // An error page that is not the API's (the web server's 503 while the engine restarts) has no fault to read.
      if (format === undefined && exchange.status >= 400) continue;
      try {
        if (format === undefined) throw new Error('a response body that is neither XML nor JSON');
        decodeApiBody(bare.slice(apiPrefix.length), exchange.method, exchange.status, text, format);
      } catch (e) {
        problems.push(`${where}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  }
  return { exchanges, problems };
}
