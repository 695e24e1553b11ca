/** The executable's handshake and AutoMTLS, checked from outside like go-plugin does it. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { MAGIC_COOKIE_VALUE } from '../../src/tfplugin';
import { generateServerCertificate } from '../../src/tfplugin/grpc/cert';
import { serviceDefinition } from '../../src/tfplugin/grpc/services';
import { bundleEntry } from '../support/terraform';

let entry: string;
let tmp: string;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfhs-'));
  entry = await bundleEntry('test/tfplugin/fixtures/test-provider-main.ts', tmp);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function launch(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [entry], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const line = new Promise<string>((resolve) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('\n')) resolve(out); });
    child.on('close', () => resolve(out));
  });
  return { child, line };
}

function schemaCall(address: string, creds: grpc.ChannelCredentials): Promise<Record<string, unknown>> {
  const Client = grpc.makeGenericClientConstructor(serviceDefinition('tfplugin6.Provider'), 'Provider');
  const client = new Client(`unix://${address}`, creds, { 'grpc.ssl_target_name_override': 'localhost' }) as grpc.Client & Record<string, Function>;
  return new Promise((resolve, reject) => {
    client.GetProviderSchema({}, { deadline: Date.now() + 5000 }, (err: Error | null, res: Record<string, unknown>) => { client.close(); if (err) reject(err); else resolve(res); });
  });
}

describe('provider executable', () => {
  it('explains itself and exits 1 when run by hand (no magic cookie), printing nothing on stdout', async () => {
    const { child, line } = launch({});
    const err = await new Promise<string>((resolve) => { let e = ''; child.stderr.on('data', (d: Buffer) => { e += d.toString(); }); child.on('close', () => resolve(e)); });
    expect(await line).toBe('');
    expect(child.exitCode).toBe(1);
    expect(err).toMatch(/This binary is a plugin/);
  });

  it('prints one go-plugin line (unpadded base64 DER) and only accepts the client certificate it was given', async () => {
    const client = generateServerCertificate();
    const stranger = generateServerCertificate();
    const { child, line } = launch({ TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '5,6', PLUGIN_CLIENT_CERT: client.certPem });
    try {
      const parts = (await line).trim().split('|');
      expect(parts.slice(0, 3)).toEqual(['1', '6', 'unix']);
      expect(parts[4]).toBe('grpc');
      expect(parts[5]).not.toMatch(/=/);
      const serverPem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(parts[5], 'base64').toString('base64')}\n-----END CERTIFICATE-----\n`;
      const good = grpc.credentials.createSsl(Buffer.from(serverPem), Buffer.from(client.keyPem), Buffer.from(client.certPem));
      const res = await schemaCall(parts[3], good);
      expect(Object.keys(res.resource_schemas as object)).toEqual(['tftest_thing']);
      const bad = grpc.credentials.createSsl(Buffer.from(serverPem), Buffer.from(stranger.keyPem), Buffer.from(stranger.certPem));
      await expect(schemaCall(parts[3], bad)).rejects.toThrow();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a Terraform that only offers protocol 5', async () => {
    const { child, line } = launch({ TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '5' });
    expect(await line).toBe('');
    expect(child.exitCode ?? (await new Promise((r) => child.on('close', r)))).toBe(1);
  });
});
