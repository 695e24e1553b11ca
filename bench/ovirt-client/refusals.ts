/**
 * How fast the engine client refuses hostile XML (moved here from a unit test's "under 100 ms"
 * assertion: wall-clock figures belong in benchmarks). Prints the median and worst time of
 * `parseBody` refusing an entity-expansion document ("billion laughs") over N runs.
 *
 * Run: npx ts-node --transpile-only bench/ovirt-client/refusals.ts [runs=200]
 */
import { parseBody } from '../../src/ovirt';

const runs = Number(process.argv[2] ?? 200);
const lol =
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
  Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 2} "${`&lol${i ? i + 1 : ''};`.repeat(10)}">`).join('') +
  ']><vm id="1"><name>&lol10;</name></vm>';

const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const started = process.hrtime.bigint();
  try {
    parseBody(lol, 'xml', 'GET /vms/1');
    throw new Error('the entity-expansion document was accepted');
  } catch (e) {
    if (!/entity expansion is off/.test((e as Error).message)) throw e;
  }
  times.push(Number(process.hrtime.bigint() - started) / 1e6);
}
times.sort((a, b) => a - b);
console.log(
  `billion-laughs refusal: median ${times[Math.floor(runs / 2)]!.toFixed(3)} ms, worst ${times[runs - 1]!.toFixed(3)} ms over ${runs} runs`,
);
