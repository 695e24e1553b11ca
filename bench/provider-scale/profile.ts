/**
 * Summarises the CPU profiles `main.ts --cpu-prof DIR` collects: per phase (DIR/plan, DIR/apply,
 * DIR/destroy), the samples of all provider processes, the samples under each RPC and under
 * each named stage (inclusive: a function counts once per sample however deep it recurs), and the
 * functions with the most self samples. Samples, not their time deltas: Bun's profiler samples
 * only while JavaScript runs and gives the first sample after an idle wait the whole wait, so a
 * count (one per millisecond of JavaScript at the default interval) is what measures CPU.
 *
 *   npx ts-node --transpile-only bench/provider-scale/profile.ts DIR [TOP]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

/** Stages reported inclusively, by function name (the bundle keeps the source names). */
const STAGES = [
  'planResourceChange',
  'applyResourceChange',
  'readResource',
  'upgradeResourceState',
  'validateResourceConfig',
  'validateProviderConfig',
  'configureProvider',
  'getProviderSchema',
  'decodeMessage',
  'encodeMessage',
  'decodeMsgpack',
  'encodeMsgpack',
  'fromWire',
  'toWire',
  'schemaMessage',
  'validateBlock',
  'completeState',
  'nullUnknownAttributes',
  'createProviderServer',
  'generateServerCertificate',
  'logged',
];

const TOP = Number(process.argv[3] ?? 25);

function frameName(node: ProfileNode): string {
  const frame = node.callFrame;
  return frame.functionName || `(anonymous ${path.basename(frame.url)}:${frame.lineNumber})`;
}

/** Self and inclusive samples by function name over all profiles of one folder. */
function summarise(dir: string): {
  files: number;
  total: number;
  self: Map<string, number>;
  incl: Map<string, number>;
  byUrl: Map<string, number>;
} {
  const self = new Map<string, number>();
  const byUrl = new Map<string, number>();
  const incl = new Map<string, number>();
  let total = 0;
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
  for (const file of files) {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Profile;
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    profile.samples.forEach((id) => {
      const leaf = byId.get(id);
      if (!leaf) return;
      const name = frameName(leaf);
      total++;
      self.set(name, (self.get(name) ?? 0) + 1);
      const url = path.basename(leaf.callFrame.url) || '(native)';
      byUrl.set(url, (byUrl.get(url) ?? 0) + 1);
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const node = byId.get(at);
        if (node) seen.add(frameName(node));
      }
      for (const stage of seen) incl.set(stage, (incl.get(stage) ?? 0) + 1);
    });
  }
  return { files: files.length, total, self, incl, byUrl };
}

const count = (samples: number) => String(samples);

for (const phase of ['plan', 'apply', 'destroy']) {
  const { files, total, self, incl, byUrl } = summarise(path.join(process.argv[2]!, phase));
  process.stdout.write(`\n== ${phase}: ${files} provider processes, ${total} samples\n`);
  for (const stage of STAGES) {
    const samples = incl.get(stage);
    if (samples) process.stdout.write(`  under ${stage.padEnd(28)} ${count(samples).padStart(6)}\n`);
  }
  process.stdout.write('  self samples by script:\n');
  for (const [url, samples] of [...byUrl].sort((x, y) => y[1] - x[1]).slice(0, 12))
    process.stdout.write(`    ${count(samples).padStart(6)}  ${url}\n`);
  process.stdout.write('  top self samples:\n');
  for (const [name, samples] of [...self].sort((x, y) => y[1] - x[1]).slice(0, TOP))
    process.stdout.write(`    ${count(samples).padStart(6)}  ${name}\n`);
}
