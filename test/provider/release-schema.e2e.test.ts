/**
 * The release executable answers GetProviderSchema with bytes computed at build time. Terraform
 * must see exactly the schema the provider's declarations give when run from the compiled sources.
 */
import * as path from 'node:path';
import { createWorkspace, expectOk, REPO_ROOT, type Workspace } from '../support/terraform';

/** The schema Terraform reads, and the provider's log of that run. */
async function schemaOf(ws: Workspace): Promise<{ schema: unknown; log: string }> {
  ws.writeFiles({
    'main.tf': `terraform {\n  required_providers {\n    ovirt = { source = "${ws.source}" }\n  }\n}\n`,
  });
  expectOk(await ws.terraform('init'));
  const run = expectOk(await ws.run(['providers', 'schema', '-json'], { env: { TF_LOG_PROVIDER: 'debug' } }));
  const out = JSON.parse(run.stdout) as { provider_schemas: Record<string, unknown> };
  return { schema: Object.values(out.provider_schemas)[0], log: run.stderr };
}

describe('the release executable’s precomputed schema (real terraform)', () => {
  const workspaces: Workspace[] = [];
  afterAll(async () => Promise.all(workspaces.map((ws) => ws.cleanup())));

  it('is the schema of the compiled declarations', async () => {
    const release = await createWorkspace();
    workspaces.push(release);
    const compiled = await createWorkspace({
      provider: { entry: path.join(REPO_ROOT, 'dist', 'src', 'provider', 'main.js'), type: 'ovirt' },
    });
    workspaces.push(compiled);
    const [fromRelease, fromSources] = [await schemaOf(release), await schemaOf(compiled)];
    // The release answered from its build-time bytes; the compiled sources built theirs.
    expect(fromRelease.log).toMatch(/GetProviderSchema done.*precomputed=true/);
    expect(fromSources.log).toContain('GetProviderSchema done');
    expect(fromSources.log).not.toContain('precomputed');
    expect(fromRelease.schema).toHaveProperty('resource_schemas.ovirt_vm');
    expect(fromRelease.schema).toEqual(fromSources.schema);
  });
});
