/** The executable's handshake and AutoMTLS, checked from outside like go-plugin does it. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { createLogger } from '../../src/tfplugin';
import { encodeProviderSchema, MAGIC_COOKIE_VALUE, startServer } from '../../src/tfplugin/grpc/serve';
import { encodeMsgpack } from '../../src/tfplugin/cty/msgpack';
import { ServerContext, type ProviderRequest, type ProviderResponse } from '../../src/tfplugin/server/context';
import { testProvider } from './fixtures/test-provider';
import { generateServerCertificate } from '../../src/tfplugin/grpc/cert';
import { SERVICES } from '../../src/tfplugin/protocol/descriptors.generated';
import { decodeMessage, encodeMessage, type ServiceName } from '../../src/tfplugin/protocol/wire';
import { bundleEntry } from '../support/terraform';
import { testRunEnv } from '../support/test-run';

let entry: string;
let tmp: string;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfhs-'));
  entry = await bundleEntry('test/tfplugin/fixtures/test-provider-main.ts', tmp);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function launch(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [entry], {
    env: { PATH: process.env.PATH, ...testRunEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const line = new Promise<string>((resolve) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out);
    });
    child.on('close', () => resolve(out));
  });
  return { child, line };
}

/** A grpc-js client definition (an independent gRPC implementation checks our server). */
function clientDefinition(service: ServiceName): grpc.ServiceDefinition {
  const def: Record<string, grpc.MethodDefinition<object, object>> = {};
  for (const m of SERVICES[service]) {
    def[m.name] = {
      path: `/${service}/${m.name}`,
      requestStream: false,
      responseStream: m.stream,
      requestSerialize: (v: object) => encodeMessage(m.input, v),
      requestDeserialize: (b: Buffer) => decodeMessage(m.input, b),
      responseSerialize: (v: object) => encodeMessage(m.output, v),
      responseDeserialize: (b: Buffer) => decodeMessage(m.output, b),
    };
  }
  return def;
}

function schemaCall(address: string, creds: grpc.ChannelCredentials): Promise<Record<string, unknown>> {
  const Client = grpc.makeGenericClientConstructor(clientDefinition('tfplugin6.Provider'), 'Provider');
  const client = new Client(`unix://${address}`, creds, {
    'grpc.ssl_target_name_override': 'localhost',
  }) as grpc.Client & Record<string, (...args: unknown[]) => unknown>;
  return new Promise((resolve, reject) => {
    client.GetProviderSchema!(
      {},
      { deadline: Date.now() + 5000 },
      (err: Error | null, res: Record<string, unknown>) => {
        client.close();
        if (err) reject(err);
        else resolve(res);
      },
    );
  });
}

describe('provider executable', () => {
  it('explains itself and exits 1 when run by hand (no magic cookie), printing nothing on stdout', async () => {
    const { child, line } = launch({});
    const err = await new Promise<string>((resolve) => {
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      child.on('close', () => resolve(stderr));
    });
    expect(await line).toBe('');
    expect(child.exitCode).toBe(1);
    expect(err).toMatch(/This binary is a plugin/);
  });

  it('prints one go-plugin line (unpadded base64 DER) and only accepts the client certificate it was given', async () => {
    const client = generateServerCertificate();
    const stranger = generateServerCertificate();
    const { child, line } = launch({
      TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE,
      PLUGIN_PROTOCOL_VERSIONS: '5,6',
      PLUGIN_CLIENT_CERT: client.certPem,
    });
    try {
      const parts = (await line).trim().split('|');
      expect(parts.slice(0, 3)).toEqual(['1', '6', 'unix']);
      expect(parts[4]).toBe('grpc');
      expect(parts[5]).not.toMatch(/=/);
      const serverPem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(parts[5]!, 'base64').toString('base64')}\n-----END CERTIFICATE-----\n`;
      const good = grpc.credentials.createSsl(
        Buffer.from(serverPem),
        Buffer.from(client.keyPem),
        Buffer.from(client.certPem),
      );
      const res = await schemaCall(parts[3]!, good);
      expect(Object.keys(res.resource_schemas as object)).toEqual(['tftest_thing']);
      const bad = grpc.credentials.createSsl(
        Buffer.from(serverPem),
        Buffer.from(stranger.keyPem),
        Buffer.from(stranger.certPem),
      );
      await expect(schemaCall(parts[3]!, bad)).rejects.toThrow();
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

describe('gRPC server (in-process, plaintext as in reattach mode)', () => {
  it('loads a provider given as a function after it listens, and serves the first RPC with it', async () => {
    let loads = 0;
    const server = await startServer(
      () => {
        loads++;
        return testProvider;
      },
      { insecure: true, onShutdown: () => undefined, log: createLogger(() => undefined) },
    );
    // Not yet: the caller prints the handshake line first.
    expect(loads).toBe(0);
    const Client = grpc.makeGenericClientConstructor(clientDefinition('tfplugin6.Provider'), 'Provider');
    const client = new Client(`unix://${server.address}`, grpc.credentials.createInsecure()) as grpc.Client &
      Record<string, (...args: unknown[]) => unknown>;
    try {
      const res = await new Promise<ProviderResponse<'GetProviderSchema'>>((resolve, reject) =>
        client.GetProviderSchema!(
          {},
          { deadline: Date.now() + 10_000 },
          (err: Error | null, out: ProviderResponse<'GetProviderSchema'>) => (err ? reject(err) : resolve(out)),
        ),
      );
      expect(Object.keys(res.resource_schemas ?? {})).toContain('tftest_thing');
      expect(loads).toBe(1);
    } finally {
      client.close();
      server.stop();
    }
  });

  it('answers GetProviderSchema from precomputed bytes without loading, and loads at the next Provider RPC', async () => {
    let loads = 0;
    const server = await startServer(
      () => {
        loads++;
        return testProvider;
      },
      {
        insecure: true,
        onShutdown: () => undefined,
        log: createLogger(() => undefined),
        schema: encodeProviderSchema(testProvider),
      },
    );
    const Client = grpc.makeGenericClientConstructor(clientDefinition('tfplugin6.Provider'), 'Provider');
    const client = new Client(`unix://${server.address}`, grpc.credentials.createInsecure()) as grpc.Client &
      Record<string, (...args: unknown[]) => unknown>;
    const call = <T>(method: string) =>
      new Promise<T>((resolve, reject) =>
        client[method]!({}, { deadline: Date.now() + 10_000 }, (err: Error | null, out: T) =>
          err ? reject(err) : resolve(out),
        ),
      );
    try {
      const schema = await call<ProviderResponse<'GetProviderSchema'>>('GetProviderSchema');
      expect(Object.keys(schema.resource_schemas ?? {})).toContain('tftest_thing');
      expect(schema.server_capabilities?.get_provider_schema_optional).toBe(true);
      expect(loads).toBe(0);
      const metadata = await call<ProviderResponse<'GetMetadata'>>('GetMetadata');
      expect(metadata.resources?.map((r) => r.type_name)).toContain('tftest_thing');
      expect(loads).toBe(1);
    } finally {
      client.close();
      server.stop();
    }
  });

  it('answers UNIMPLEMENTED for unknown methods and accepts messages larger than 4 MiB', async () => {
    const server = await startServer(testProvider, {
      insecure: true,
      onShutdown: () => undefined,
      log: createLogger(() => undefined),
    });
    const Client = grpc.makeGenericClientConstructor(clientDefinition('tfplugin6.Provider'), 'Provider');
    const client = new Client(`unix://${server.address}`, grpc.credentials.createInsecure()) as grpc.Client &
      Record<string, (...args: unknown[]) => unknown>;
    const call = (method: 'ValidateResourceConfig', req: ProviderRequest<typeof method>) =>
      new Promise<ProviderResponse<typeof method>>((resolve, reject) =>
        client[method]!(
          req,
          { deadline: Date.now() + 10_000 },
          (err: Error | null, res: ProviderResponse<typeof method>) => (err ? reject(err) : resolve(res)),
        ),
      );
    try {
      const type = new ServerContext(
        testProvider as never,
        createLogger(() => undefined),
      ).resources.get('tftest_thing')!.type;
      const big = { name: 'x', tags: { blob: 'y'.repeat(6 << 20) }, nic: [] };
      const res = await call('ValidateResourceConfig', {
        type_name: 'tftest_thing',
        config: { msgpack: Buffer.from(encodeMsgpack(big, type)) },
      });
      expect(res.diagnostics ?? []).toEqual([]);
      const raw = new grpc.Client(`unix://${server.address}`, grpc.credentials.createInsecure());
      const err = await new Promise<grpc.ServiceError>((resolve) =>
        raw.makeUnaryRequest(
          '/tfplugin6.Provider/Nope',
          (x: Buffer) => x,
          (x: Buffer) => x,
          Buffer.alloc(0),
          (e) => resolve(e as grpc.ServiceError),
        ),
      );
      expect(err.code).toBe(grpc.status.UNIMPLEMENTED);
      raw.close();
    } finally {
      client.close();
      server.stop();
    }
  });
});
