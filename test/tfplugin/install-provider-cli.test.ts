/** `ovirt-cdktf install-provider` end to end: the real provider, found by `terraform init` offline. */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/terraform';

const built = fs.existsSync(path.join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'));
const describeBuilt = built ? describe : describe.skip;
if (!built) console.warn('install-provider CLI test skipped: dist/ is missing (run `npm run build`)');

describeBuilt('ovirt-cdktf install-provider', () => {
  it('prints TF_CLI_CONFIG_FILE and the source address; terraform init + providers schema then work offline, twice', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcli-'));
    try {
      const run = () =>
        execFileSync(
          process.execPath,
          [path.join(REPO_ROOT, 'bin', 'ovirt-cdktf.js'), 'install-provider', '--dir', path.join(dir, 'inst')],
          { encoding: 'utf8' },
        );
      const out = run().trim().split('\n');
      expect(out[0]).toBe(`TF_CLI_CONFIG_FILE=${path.join(dir, 'inst', 'terraform.tfrc')}`);
      expect(out[1]).toBe('terraform.local/ovirt-cdktf/ovirt');
      const work = path.join(dir, 'work');
      fs.mkdirSync(work);
      fs.writeFileSync(
        path.join(work, 'main.tf'),
        'terraform {\n  required_providers {\n    ovirt = { source = "terraform.local/ovirt-cdktf/ovirt" }\n  }\n}\n',
      );
      const env = {
        PATH: process.env.PATH,
        HOME: dir,
        TF_CLI_CONFIG_FILE: out[0]!.split('=')[1],
        TF_IN_AUTOMATION: '1',
        CHECKPOINT_DISABLE: '1',
      };
      const tf = (...args: string[]) => spawnSync('terraform', args, { cwd: work, env, encoding: 'utf8' });
      const init = tf('init', '-no-color');
      expect(init.stderr).toBe('');
      expect(init.stdout).toMatch(/Installed terraform.local\/ovirt-cdktf\/ovirt v0\.1\.0/);
      run(); // reinstalling the same version must keep the lock-file checksum valid
      const schema = tf('providers', 'schema', '-json');
      expect(schema.status).toBe(0);
      const json = JSON.parse(schema.stdout) as {
        provider_schemas: Record<string, { resource_schemas: Record<string, unknown> }>;
      };
      expect(Object.keys(json.provider_schemas['terraform.local/ovirt-cdktf/ovirt']!.resource_schemas)).toContain(
        'ovirt_vm',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
