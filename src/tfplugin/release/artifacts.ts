/**
 * Writes a provider release in the format registries and mirrors expect, from one executable per
 * platform:
 * - `terraform-provider-<type>_<version>_<os>_<arch>.zip`, holding `terraform-provider-<type>_v<version>`;
 * - `terraform-provider-<type>_<version>_manifest.json` (`protocol_versions`);
 * - `terraform-provider-<type>_<version>_SHA256SUMS` over the zips and the manifest, and with a GPG
 *   key its detached binary signature `…_SHA256SUMS.sig`;
 * - a provider network mirror tree beside them: `<hostname>/<namespace>/<type>/index.json` and
 *   `<version>.json`, whose archive URLs point back at the zips (`../../../<zip>`), so one static
 *   HTTPS server serving the folder is the mirror.
 * Everything but the signature (GPG stamps the time) is byte-identical for the same executables.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { h1Hash, sha256Hex, zipHash } from './hashes';
import { writeZip } from './zip';

/** A provider's identity in a release. */
export interface ProviderId {
  hostname: string;
  namespace: string;
  type: string;
  version: string;
}

/** What {@link writeRelease} needs. */
export interface ReleaseOptions extends ProviderId {
  outDir: string;
  /** The executable of each platform, by Terraform's `<os>_<arch>` name. */
  executables: Record<string, string>;
  /** Terraform plugin protocol versions the provider speaks (default ["6.0"]). */
  protocolVersions?: string[];
  /** GPG key (id, fingerprint or e-mail) that signs SHA256SUMS; GNUPGHOME from the environment. */
  gpgKey?: string;
  env?: NodeJS.ProcessEnv;
}

/** The file names of a release (all inside one folder). */
export function releaseNames(id: Pick<ProviderId, 'type' | 'version'>) {
  const base = `terraform-provider-${id.type}_${id.version}`;
  return {
    zip: (platform: string) => `${base}_${platform}.zip`,
    executable: `terraform-provider-${id.type}_v${id.version}`,
    sums: `${base}_SHA256SUMS`,
    signature: `${base}_SHA256SUMS.sig`,
    manifest: `${base}_manifest.json`,
  };
}

/** Hashes of one platform's package. */
export interface PackageHashes {
  zip: string;
  h1: string;
  zh: string;
}

/** Writes `data` to `file` through a temporary file, so no reader sees half a file. */
export function writeAtomic(file: string, data: Buffer | string, mode = 0o644): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data, { mode });
  fs.renameSync(tmp, file);
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** Writes the release into `outDir`; returns the hashes per platform. */
export function writeRelease(options: ReleaseOptions): Record<string, PackageHashes> {
  const names = releaseNames(options);
  fs.mkdirSync(options.outDir, { recursive: true });
  const hashes: Record<string, PackageHashes> = {};
  const sums: [string, string][] = [];
  for (const platform of Object.keys(options.executables).sort()) {
    const entry = { name: names.executable, data: fs.readFileSync(options.executables[platform]!), mode: 0o755 };
    const zip = writeZip([entry]);
    writeAtomic(path.join(options.outDir, names.zip(platform)), zip);
    hashes[platform] = { zip: names.zip(platform), h1: h1Hash([entry]), zh: zipHash(zip) };
    sums.push([names.zip(platform), sha256Hex(zip)]);
  }
  const manifest = json({ version: 1, metadata: { protocol_versions: options.protocolVersions ?? ['6.0'] } });
  writeAtomic(path.join(options.outDir, names.manifest), manifest);
  sums.push([names.manifest, sha256Hex(manifest)]);
  const sumsPath = path.join(options.outDir, names.sums);
  writeAtomic(
    sumsPath,
    sums
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([f, h]) => `${h}  ${f}\n`)
      .join(''),
  );
  const sigPath = path.join(options.outDir, names.signature);
  fs.rmSync(sigPath, { force: true });
  if (options.gpgKey) {
    execFileSync(
      'gpg',
      ['--batch', '--yes', '--local-user', options.gpgKey, '--output', sigPath, '--detach-sign', sumsPath],
      { env: options.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
  }
  const mirror = path.join(options.outDir, options.hostname, options.namespace, options.type);
  fs.mkdirSync(mirror, { recursive: true });
  writeAtomic(path.join(mirror, 'index.json'), json({ versions: { [options.version]: {} } }));
  const archives = Object.fromEntries(
    Object.entries(hashes).map(([p, h]) => [p, { url: `../../../${h.zip}`, hashes: [h.h1, h.zh] }]),
  );
  writeAtomic(path.join(mirror, `${options.version}.json`), json({ archives }));
  return hashes;
}
