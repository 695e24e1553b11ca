/** The SDK's RPC behaviour, driven in-process through the real codecs (no terraform). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProviderHarness } from '../../src/tfplugin/testing';
import { createLogger, isUnknown } from '../../src/tfplugin';
import { testProvider } from './fixtures/test-provider';
import { fromDynamic, toDynamic } from '../../src/tfplugin/server/support';

const THING = 'tftest_thing';
let dir: string;
let harness: ProviderHarness;
let logLines: string[];

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfh-'));
  logLines = [];
  harness = new ProviderHarness(
    testProvider,
    createLogger((l) => logLines.push(l)),
  );
  expect(await harness.configure({ store_dir: dir })).toEqual([]);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('planning', () => {
  it('create: computed-and-unset become unknown, defaults are set, nothing requires replace', async () => {
    const planned = await harness.plan(THING, null, { name: 'a', nic: [] });
    expect(planned.diagnostics).toEqual([]);
    expect(isUnknown(planned.planned?.id)).toBe(true);
    expect(isUnknown(planned.planned?.created_at)).toBe(true);
    expect(planned.planned?.size).toBe(1);
    expect(planned.requiresReplace).toEqual([]);
  });

  it('no change: the plan equals prior (no unknowns, so no perpetual diff)', async () => {
    const created = await harness.planApply(THING, null, { name: 'a', nic: [] });
    const planned = await harness.plan(THING, created.state, { name: 'a', nic: [] });
    expect(planned.planned).toEqual(created.state);
  });

  it('update: useStateForUnknown keeps id; force-new attribute lists requires_replace', async () => {
    const created = await harness.planApply(THING, null, { name: 'a', nic: [] });
    const up = await harness.plan(THING, created.state, { name: 'a', size: 3, nic: [] });
    expect(up.planned?.id).toBe(created.state?.id);
    expect(up.requiresReplace).toEqual([]);
    const rep = await harness.plan(THING, created.state, { name: 'b', nic: [] });
    expect(rep.requiresReplace).toEqual(['name']);
  });

  it('a custom plan check (shrinking) is an error naming the attribute', async () => {
    const created = await harness.planApply(THING, null, { name: 'a', size: 5, nic: [] });
    const planned = await harness.plan(THING, created.state, { name: 'a', size: 2, nic: [] });
    expect(planned.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', summary: 'Shrinking Not Supported', path: [{ attribute: 'size' }] }),
    ]);
  });

  it('destroy plan (proposed null) plans null', async () => {
    const created = await harness.planApply(THING, null, { name: 'a', nic: [] });
    const destroyed = await harness.planApply(THING, created.state, null);
    expect(destroyed.state).toBeNull();
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('validation', () => {
  it('names the attribute, including nested blocks and read-only attributes', async () => {
    const diagnostics = await harness.validate(THING, { name: 'Bad', size: 0, id: 'x', nic: [] });
    expect(diagnostics.map((x) => x.path)).toEqual(
      expect.arrayContaining([[{ attribute: 'name' }], [{ attribute: 'size' }], [{ attribute: 'id' }]]),
    );
  });
});

describe('state', () => {
  it('read passes private through and returns null when the object is gone', async () => {
    const created = await harness.planApply(THING, null, { name: 'a', nic: [] });
    expect(JSON.parse(String(created.private))).toEqual({ etag: 'v1' });
    const read = await harness.read(THING, created.state!, created.private);
    expect(String(read.private)).toBe(String(created.private));
    fs.rmSync(path.join(dir, `${String(created.state?.id)}.json`));
    expect((await harness.read(THING, created.state!, created.private)).state).toBeNull();
  });

  it('upgrade runs upgraders from the stored version and fills new attributes with null, losslessly', async () => {
    const upgraded = await harness.upgrade(
      THING,
      0,
      '{"id":"i","name":"n","slow_ms":123456789012345678901234567890,"gone":1}',
    );
    expect(upgraded.diagnostics).toEqual([]);
    expect(upgraded.state).toMatchObject({ id: 'i', name: 'n', size: 1, password: null, nic: [] });
    expect(String(upgraded.state?.slow_ms)).toBe('123456789012345678901234567890');
    expect(upgraded.state).not.toHaveProperty('gone');
  });

  it('import returns state for read, or an error for a missing id', async () => {
    const created = await harness.planApply(THING, null, { name: 'a', nic: [] });
    expect((await harness.import(THING, String(created.state?.id))).state?.id).toBe(created.state?.id);
    expect((await harness.import(THING, 'nope')).diagnostics[0]?.summary).toBe('Cannot Import Non-Existent Thing');
  });
});

describe('data sources', () => {
  it('reads a data source through ReadDataSource', async () => {
    const alpha = await harness.planApply(THING, null, { name: 'alpha', nic: [] });
    await harness.planApply(THING, null, { name: 'beta', nic: [] });
    const res = await harness.call('ReadDataSource', {
      type_name: 'tftest_things',
      config: toDynamic({ prefix: 'al', ids: null }, harness.ctx.dataSources.get('tftest_things')!.type),
    });
    expect(fromDynamic(res.state, harness.ctx.dataSources.get('tftest_things')!.type)).toEqual({
      prefix: 'al',
      ids: [alpha.state?.id],
    });
  });
});

describe('stop and logging', () => {
  it('StopProvider aborts in-flight work through the AbortSignal', async () => {
    const planned = await harness.plan(THING, null, { name: 'slow', slow_ms: 60_000, nic: [] });
    const pending = harness.apply(THING, null, planned.planned, { name: 'slow', slow_ms: 60_000, nic: [] });
    await new Promise((r) => setTimeout(r, 50));
    await harness.stop();
    const res = await pending;
    expect(res.diagnostics[0]?.summary).toBe('Create Interrupted');
    expect(res.state).toBeNull();
  });

  it('an apply that reaches the provider after StopProvider stops at once', async () => {
    const planned = await harness.plan(THING, null, { name: 'late', slow_ms: 60_000, nic: [] });
    await harness.stop();
    const res = await harness.apply(THING, null, planned.planned, { name: 'late', slow_ms: 60_000, nic: [] });
    expect(res.diagnostics[0]?.summary).toBe('Create Interrupted');
    expect(res.state).toBeNull();
  });

  it('never logs sensitive values', async () => {
    await harness.planApply(THING, null, { name: 'a', password: 'hunter2-secret', nic: [] });
    expect(logLines.join('')).not.toContain('hunter2-secret');
  });
});
