/**
 * Where the client's decode time goes, XML against JSON, for one `<vm>` of the engine 4.3
 * recordings (about 7.8 KB): XML validation, XML parsing (both fast-xml-parser), the codec's whole
 * XML path, `JSON.parse` of the same tree as JSON text, and the zod model on each tree.
 * The JSON text is the parsed XML tree serialised (the engine's own JSON carries the same values;
 * its list wrapping differs, which does not change the cost), so it needs no JSON recording.
 *
 *   npx ts-node --transpile-only bench/ovirt-client/decode.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeEntity, parseBody, vmSchema } from '../../src/ovirt';

const FIXTURE = join(__dirname, '../../../shared/fixtures/ovirt-engine-4.3/vms.xml');

function time(name: string, decode: () => unknown, iterations = 3000): void {
  for (let i = 0; i < 300; i++) decode();
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) decode();
  console.log(`  ${name.padEnd(34)} ${(((performance.now() - t0) / iterations) * 1000).toFixed(0).padStart(5)} us`);
}

function main(): void {
  let all: string;
  try {
    all = readFileSync(FIXTURE, 'utf8');
  } catch {
    console.log(`decode: SKIPPED, ${FIXTURE} is absent`);
    return;
  }
  const start = all.indexOf('<vm href');
  const xml =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + all.slice(start, all.indexOf('</vm>', start) + 5);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: false,
  });
  const tree = parseBody(xml, 'xml', 'bench');
  const json = JSON.stringify((tree as { vm: unknown }).vm);
  console.log(
    `decode of one <vm> (${xml.length} B XML, ${json.length} B JSON), node ${process.version}, ${new Date().toISOString()}`,
  );
  time('XMLValidator.validate', () => XMLValidator.validate(xml));
  time('XMLParser.parse', () => parser.parse(xml));
  time('codec parseBody(xml)', () => parseBody(xml, 'xml', 'bench'));
  time('zod vmSchema on the XML tree', () => decodeEntity(tree, 'xml', 'vm', vmSchema, 'bench'));
  time('codec parseBody(json)', () => parseBody(json, 'json', 'bench'));
  const jtree = parseBody(json, 'json', 'bench');
  time('zod vmSchema on the JSON tree', () => decodeEntity(jtree, 'json', 'vm', vmSchema, 'bench'));
}

main();
