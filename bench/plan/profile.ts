/**
 * Profile summaries for bench/plan: a condensed timeline of Terraform's `TF_LOG=trace` output
 * (provider process starts, handshakes, RPCs, the provider's own request lines), and the self
 * time of provider processes from `node --cpu-prof` files, grouped by module.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Trace lines worth a row, with a short label. */
const EVENTS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/provider: starting plugin: path=(\S*terraform-provider-ovirt)/, () => 'provider process: exec'],
  [/provider: plugin started: .*terraform-provider-ovirt.* pid=(\d+)/, (m) => `provider process: started pid ${m[1]}`],
  [/provider: using plugin: version=(\d+)/, (m) => `handshake done (protocol ${m[1]})`],
  [/GRPCProvider\.v6: (\w+)$/, (m) => `rpc ${m[1]}`],
  [
    /provider\.terraform-provider-ovirt: (ovirt: request): (.*)$/,
    (m) => `  engine ${m[2]!.replace(/ ?(correlationId|timestamp)=\S+/g, '').replace(/@module=\S+ ?/, '')}`,
  ],
  [
    /provider: plugin process exited: .*terraform-provider-ovirt.* pid=(\d+)/,
    (m) => `provider process: exited pid ${m[1]}`,
  ],
  [/provider: plugin exited$/, () => 'provider process: exited'],
];

/** The timeline of one traced terraform run, one event per line, in ms since its first line. */
export function summarizeTrace(text: string): string {
  const rows: string[] = [];
  let t0: number | undefined;
  let last = 0;
  for (const line of text.split('\n')) {
    const ts = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[Z+-][\d:]*)/.exec(line);
    if (!ts) continue;
    const at = Date.parse(ts[1]!);
    t0 ??= at;
    last = at - t0;
    for (const [re, label] of EVENTS) {
      const match = re.exec(line);
      if (match) {
        rows.push(`  ${String(at - t0).padStart(6)}  ${label(match)}`);
        break;
      }
    }
  }
  rows.push(`  ${String(last).padStart(6)}  last trace line`);
  return rows.join('\n') + '\n';
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Maps a line of an esbuild bundle to the module it came from (esbuild writes `// path` above each). */
class BundleModules {
  private readonly cache = new Map<string, { line: number; name: string }[]>();

  moduleOf(url: string, line: number): string {
    if (!url.startsWith('file://')) return url === '' ? '(vm)' : url.startsWith('node:') ? 'node: internals' : url;
    const file = url.slice('file://'.length);
    let marks = this.cache.get(file);
    if (!marks) {
      marks = [];
      try {
        fs.readFileSync(file, 'utf8')
          .split('\n')
          .forEach((sourceLine, lineNo) => {
            const match = /^\/\/ (\S+\.(?:js|ts|cjs|mjs|json))$/.exec(sourceLine);
            if (match) marks!.push({ line: lineNo, name: packageOf(match[1]!) });
          });
      } catch {
        /* not readable: grouped by file below */
      }
      this.cache.set(file, marks);
    }
    let name = path.basename(file);
    for (const mk of marks) {
      if (mk.line > line) break;
      name = mk.name;
    }
    return name;
  }
}

/** `node_modules/undici/lib/x.js` -> `undici`; `dist/src/ovirt/codec.js` -> `src/ovirt`. */
function packageOf(file: string): string {
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (nm) return nm[1]!;
  const src = /(src\/[^/]+)/.exec(file);
  return src ? src[1]! : file;
}

/** Self time per module over all profiles in `dir`, plus each process's lifetime. */
export function summarizeCpuProfiles(dir: string): string {
  let files: string[] = [];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    /* none */
  }
  if (files.length === 0) return '  no profiles written (a provider that ignores NODE_OPTIONS?)\n';
  const modules = new BundleModules();
  const byModule = new Map<string, number>();
  const lives: string[] = [];
  let busy = 0;
  for (const f of files) {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as CpuProfile;
    const node = new Map(profile.nodes.map((n) => [n.id, n]));
    let processBusy = 0;
    profile.samples.forEach((id, sample) => {
      const frame = node.get(id);
      const us = profile.timeDeltas[sample] ?? 0;
      if (!frame) return;
      const fn = frame.callFrame.functionName;
      const key =
        fn === '(idle)'
          ? '(idle: waiting for I/O)'
          : fn === '(program)' || fn === '(garbage collector)'
            ? fn
            : modules.moduleOf(frame.callFrame.url, frame.callFrame.lineNumber);
      byModule.set(key, (byModule.get(key) ?? 0) + us);
      if (fn !== '(idle)') processBusy += us;
    });
    busy += processBusy;
    lives.push(
      `${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms (busy ${(processBusy / 1000).toFixed(0)})`,
    );
  }
  const rows = [...byModule.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 14)
    .map(([k, us]) => `  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
  return (
    `  ${files.length} provider processes, lifetimes from profiler start: ${lives.join(', ')}; busy ${(busy / 1000).toFixed(0)} ms in all\n` +
    `  (the profiler starts after node's own boot, so module loading shows, node's start-up does not)\n${rows.join('\n')}\n`
  );
}
