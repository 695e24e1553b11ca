/** The SDK's RPC behaviour, driven in-process through the real codecs (no terraform). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProviderHarness } from '../../src/tfplugin/testing';
import { createLogger, isUnknown } from '../../src/tfplugin';
import { testProvider } from './fixtures/test-provider';
import { fromDynamic, toDynamic } from '../../src/tfplugin/server/support';

const T = 'tftest_thing';
let dir: string;
let h: ProviderHarness;
let logLines: string[];

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfh-'));
  logLines = [];
  h = new ProviderHarness(
    testProvider,
    createLogger((l) => logLines.push(l)),
  );
  expect(await h.configure({ store_dir: dir })).toEqual([]);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('planning', () => {
  it('create: computed-and-unset become unknown, defaults are set, nothing requires replace', async () => {
    const p = await h.plan(T, null, { name: 'a', nic: [] });
    expect(p.diagnostics).toEqual([]);
    expect(isUnknown(p.planned?.id)).toBe(true);
    expect(isUnknown(p.planned?.created_at)).toBe(true);
    expect(p.planned?.size).toBe(1);
    expect(p.requiresReplace).toEqual([]);
  });

  it('no change: the plan equals prior (no unknowns, so no perpetual diff)', async () => {
    const c = await h.planApply(T, null, { name: 'a', nic: [] });
    const p = await h.plan(T, c.state, { name: 'a', nic: [] });
    expect(p.planned).toEqual(c.state);
  });

  it('update: useStateForUnknown keeps id; force-new attribute lists requires_replace', async () => {
    const c = await h.planApply(T, null, { name: 'a', nic: [] });
    const up = await h.plan(T, c.state, { name: 'a', size: 3, nic: [] });
    expect(up.planned?.id).toBe(c.state?.id);
    expect(up.requiresReplace).toEqual([]);
    const rep = await h.plan(T, c.state, { name: 'b', nic: [] });
    expect(rep.requiresReplace).toEqual(['name']);
  });

  it('a custom plan check (shrinking) is an error naming the attribute', async () => {
    const c = await h.planApply(T, null, { name: 'a', size: 5, nic: [] });
    const p = await h.plan(T, c.state, { name: 'a', size: 2, nic: [] });
    expect(p.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', summary: 'Shrinking Not Supported', path: [{ attribute: 'size' }] }),
    ]);
  });

  it('destroy plan (proposed null) plans null', async () => {
    const c = await h.planApply(T, null, { name: 'a', nic: [] });
    const d = await h.planApply(T, c.state, null);
    expect(d.state).toBeNull();
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('validation', () => {
  it('names the attribute, including nested blocks and read-only attributes', async () => {
    const d = await h.validate(T, { name: 'Bad', size: 0, id: 'x', nic: [] });
    expect(d.map((x) => x.path)).toEqual(
      expect.arrayContaining([[{ attribute: 'name' }], [{ attribute: 'size' }], [{ attribute: 'id' }]]),
    );
  });
});

describe('state', () => {
  it('read passes private through and returns null when the object is gone', async () => {
    const c = await h.planApply(T, null, { name: 'a', nic: [] });
    expect(JSON.parse(String(c.private))).toEqual({ etag: 'v1' });
    const r = await h.read(T, c.state!, c.private);
    expect(String(r.private)).toBe(String(c.private));
    fs.rmSync(path.join(dir, `${String(c.state?.id)}.json`));
    expect((await h.read(T, c.state!, c.private)).state).toBeNull();
  });

  it('upgrade runs upgraders from the stored version and fills new attributes with null, losslessly', async () => {
    const r = await h.upgrade(T, 0, '{"id":"i","name":"n","slow_ms":123456789012345678901234567890,"gone":1}');
    expect(r.diagnostics).toEqual([]);
    expect(r.state).toMatchObject({ id: 'i', name: 'n', size: 1, password: null, nic: [] });
    expect(String(r.state?.slow_ms)).toBe('123456789012345678901234567890');
    expect(r.state).not.toHaveProperty('gone');
  });

  it('import returns state for read, or an error for a missing id', async () => {
    const c = await h.planApply(T, null, { name: 'a', nic: [] });
    expect((await h.import(T, String(c.state?.id))).state?.id).toBe(c.state?.id);
    expect((await h.import(T, 'nope')).diagnostics[0]?.summary).toBe('Cannot Import Non-Existent Thing');
  });
});

describe('data sources', () => {
  it('reads a data source through ReadDataSource', async () => {
    const a = await h.planApply(T, null, { name: 'alpha', nic: [] });
    await h.planApply(T, null, { name: 'beta', nic: [] });
    const res = await h.call('ReadDataSource', {
      type_name: 'tftest_things',
      config: toDynamic({ prefix: 'al', ids: null }, h.ctx.dataSources.get('tftest_things')!.type),
    });
    expect(fromDynamic(res.state, h.ctx.dataSources.get('tftest_things')!.type)).toEqual({
      prefix: 'al',
      ids: [a.state?.id],
    });
  });
});

describe('stop and logging', () => {
  it('StopProvider aborts in-flight work through the AbortSignal', async () => {
    const p = await h.plan(T, null, { name: 'slow', slow_ms: 60_000, nic: [] });
    const pending = h.apply(T, null, p.planned, { name: 'slow', slow_ms: 60_000, nic: [] });
    await new Promise((r) => setTimeout(r, 50));
    await h.stop();
    const res = await pending;
    expect(res.diagnostics[0]?.summary).toBe('Create Interrupted');
    expect(res.state).toBeNull();
  });

  it('never logs sensitive values', async () => {
    await h.planApply(T, null, { name: 'a', password: 'hunter2-secret', nic: [] });
    expect(logLines.join('')).not.toContain('hunter2-secret');
  });
});
