/**
 * A second data center (cluster, host, storage domain) for the simulator's seed file: what the
 * day-2 tests move, migrate and clone towards to see the cross-cluster and cross-data-center refusals.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Ids of the second data center's objects. */
export const OTHER = {
  dc: '5a1e0000-0000-4000-8000-00000000dc02',
  cluster: '5a1e0000-0000-4000-8000-0000000c1002',
  host: '5a1e0000-0000-4000-8000-0000000a0009',
  sd: '5a1e0000-0000-4000-8000-000000005d09',
};

/** Writes `dir/seed.json` holding the second data center; returns its path for `startEngineSim`'s `seedFile`. */
export function writeOtherDcSeed(dir: string): string {
  const seedFile = path.join(dir, 'seed.json');
  const ref = (kind: string, id: string) => ({ href: `/ovirt-engine/api/${kind}/${id}`, id });
  fs.writeFileSync(
    seedFile,
    JSON.stringify([
      { kind: 'datacenters', id: OTHER.dc, data: { name: 'other', status: 'up' } },
      { kind: 'clusters', id: OTHER.cluster, data: { name: 'other', data_center: ref('datacenters', OTHER.dc) } },
      {
        kind: 'hosts',
        id: OTHER.host,
        data: { name: 'other-host', status: 'up', address: '192.0.2.99', cluster: ref('clusters', OTHER.cluster) },
      },
      {
        kind: 'storagedomains',
        id: OTHER.sd,
        data: {
          name: 'other-sd',
          status: 'active',
          type: 'data',
          storage: { type: 'nfs' },
          data_centers: { data_center: [ref('datacenters', OTHER.dc)] },
        },
      },
    ]),
  );
  return seedFile;
}
