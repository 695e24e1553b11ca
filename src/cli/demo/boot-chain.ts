/**
 * Proves one node's boot chain the way the machine would walk it: fetch `/boot.ipxe`, expand the
 * iPXE settings in its `chain` URL with the node's MAC and UUID, fetch that per-machine script, take
 * the Ignition URL from its kernel arguments, fetch the Ignition, validate it, and follow a pointer
 * config when it points back at the boot server.
 */
import { validateIgnition } from '../../boot';
import { DemoError } from './errors';

/** The machine whose chain is walked. */
export interface ChainMachine {
  mac: string;
  uuid: string;
  arch?: string;
}

/** One fetch of the chain. */
export interface ChainStep {
  url: string;
  status: number;
  bytes: number;
  contentType: string;
  note: string;
}

/** Expands iPXE settings (`${mac}`, `${mac:hexhyp}`, `${uuid}`, `${buildarch}`, ...) for `machine`; unknown ones expand to "". */
export function expandSettings(text: string, machine: ChainMachine): string {
  const settings: Record<string, string> = {
    mac: machine.mac.toLowerCase(),
    uuid: machine.uuid.toLowerCase(),
    buildarch: machine.arch ?? 'x86_64',
    platform: 'pcbios',
  };
  return text.replace(/\$\{([A-Za-z0-9/._-]+)(?::([a-z]+))?\}/g, (_, name: string, type: string | undefined) => {
    const value = settings[name.replace(/^net\d+\//, '')] ?? '';
    if (type === 'hexhyp') return value.replace(/:/g, '-');
    if (type === 'hexraw') return value.replace(/:/g, '');
    if (type === 'uristring') return encodeURIComponent(value);
    return value;
  });
}

/** The target of the first `chain` command of an iPXE script (options such as --autofree skipped). */
export function chainTarget(script: string): string | undefined {
  for (const line of script.split('\n')) {
    const words = line.trim().split(/\s+/);
    if (words[0] === 'chain' || words[0] === 'chainload') return words.slice(1).find((w) => !w.startsWith('--'));
  }
  return undefined;
}

/** The Ignition URL in a script's kernel arguments (live PXE or install-to-disk), if any. */
export function ignitionTarget(script: string): string | undefined {
  const urlMatch = /(?:^|\s)(?:ignition\.config\.url|coreos\.inst\.ignition_url)=(\S+)/m.exec(script);
  return urlMatch?.[1];
}

async function get(url: string, note: string, steps: ChainStep[]): Promise<string> {
  const res = await fetch(url, { headers: { 'user-agent': 'iPXE/1.21.1 (ovirt-cdktf demo)' } });
  const body = await res.text();
  steps.push({
    url,
    status: res.status,
    bytes: Buffer.byteLength(body),
    contentType: res.headers.get('content-type') ?? '',
    note,
  });
  if (!res.ok) throw new DemoError('boot_chain_failed', `GET ${url} answered ${res.status}: ${body.slice(0, 200)}`);
  return body;
}

function checkIgnition(text: string, url: string): { version: string; merges: string[] } {
  let cfg: {
    ignition?: { version?: string; config?: { merge?: { source?: string }[]; replace?: { source?: string } } };
  };
  try {
    cfg = JSON.parse(text) as typeof cfg;
  } catch {
    throw new DemoError('boot_chain_failed', `${url} did not return JSON Ignition`);
  }
  const report = validateIgnition(cfg);
  if (!report.valid)
    throw new DemoError(
      'boot_chain_failed',
      `${url}: invalid Ignition: ${report.errors.map((e) => e.message).join('; ')}`,
    );
  const configRefs = cfg.ignition?.config;
  const merges = [...(configRefs?.merge ?? []), ...(configRefs?.replace ? [configRefs.replace] : [])]
    .map((m) => m.source ?? '')
    .filter(Boolean);
  return { version: cfg.ignition?.version ?? '?', merges };
}

/** Checks Ignition text fetched from (or held at) `where`, then follows a pointer to the boot server once. */
async function checkAndFollow(bootUrl: string, text: string, where: string, steps: ChainStep[]): Promise<void> {
  const { version, merges } = checkIgnition(text, where);
  const last = steps[steps.length - 1];
  const verdict = ` (valid, spec ${version}${merges.length ? `, merges ${merges.length} config(s)` : ''})`;
  if (last?.url === where) last.note += verdict;
  else
    steps.push({
      url: where,
      status: 0,
      bytes: Buffer.byteLength(text),
      contentType: 'application/vnd.coreos.ignition+json',
      note: `Ignition in the VM's custom script${verdict}`,
    });
  // A pointer config that points back at the boot server (the bootstrap's large config): follow it once.
  const local = merges.find((u) => u.startsWith(bootUrl));
  if (local) {
    const full = await get(local, 'the full config the pointer merges', steps);
    steps[steps.length - 1]!.note += ` (valid, spec ${checkIgnition(full, local).version})`;
  } else if (merges[0]) {
    steps[steps.length - 1]!.note += `; the merged config comes from ${merges[0]} (served inside the cluster)`;
  }
}

/** Walks the PXE chain from `${bootUrl}/boot.ipxe`; `fallbackIgnition` is used when the iPXE answer names none. */
export async function proveBootChain(
  bootUrl: string,
  machine: ChainMachine,
  fallbackIgnition?: string,
): Promise<ChainStep[]> {
  const steps: ChainStep[] = [];
  const first = `${bootUrl}/boot.ipxe`;
  const chainScript = await get(first, 'iPXE chain script (what DHCP hands every machine)', steps);
  const target = chainTarget(chainScript);
  if (!target) throw new DemoError('boot_chain_failed', `${first} has no chain command`);
  const perMachine = new URL(expandSettings(target, machine), first).href;
  const script = await get(perMachine, "this machine's iPXE script, selected by its MAC", steps);
  const ignUrl = ignitionTarget(script);
  const ignitionUrl = ignUrl ? new URL(expandSettings(ignUrl, machine), perMachine).href : fallbackIgnition;
  if (!ignitionUrl)
    throw new DemoError('boot_chain_failed', `${perMachine} names no Ignition URL and the node has none`);
  await checkAndFollow(bootUrl, await get(ignitionUrl, 'its Ignition config', steps), ignitionUrl, steps);
  // A reboot asks again: a one-shot entry now answers with a local-disk boot (no install loop).
  const again = await get(perMachine, 'the same script on the next boot', steps);
  const local = /^\s*(exit|sanboot)\b/m.exec(again)?.[1];
  steps[steps.length - 1]!.note += local
    ? `: \`${local}\`, a local-disk boot (one-shot entry: no install loop)`
    : ': unchanged (not a one-shot entry)';
  return steps;
}

/** Walks a template-mode chain: the Ignition the engine hands the VM (its custom script), then what it merges. */
export async function provePointerChain(bootUrl: string, customScript: string, where: string): Promise<ChainStep[]> {
  const steps: ChainStep[] = [];
  await checkAndFollow(bootUrl, customScript, where, steps);
  return steps;
}
