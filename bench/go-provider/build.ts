/**
 * Builds the Go baseline provider of main.go into a release folder, installed like ours: same
 * type and version, the oVirt provider's exact schema. Needs Go and Debian's Go libraries
 * (no network: GOPATH mode on /usr/share/gocode):
 *
 *   apt-get install -y golang-go golang-google-grpc-dev golang-google-protobuf-dev
 *   npm run build && npx ts-node --transpile-only bench/go-provider/build.ts OUT_DIR
 *   npx ts-node --transpile-only bench/provider-scale/main.ts 100 --release OUT_DIR
 *   npx ts-node --transpile-only bench/plan/main.ts 9 --provider OUT_DIR/terraform-provider-ovirt_v0.1.0
 *
 * The last writes OUT_DIR/terraform-provider-ovirt_v<version> too, for bench/plan's `--provider`.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OVIRT_PROVIDER } from '../../src/cli/install-provider';
import { ovirtProvider } from '../../src/provider';
import { PROVIDER_VERSION } from '../../src/provider/version';
import { encodeProviderSchema } from '../../src/tfplugin/grpc/serve';
import { releaseNames, writeRelease } from '../../src/tfplugin/release/artifacts';

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: build.ts OUT_DIR\n');
  process.exit(2);
}
try {
  execFileSync('go', ['version'], { stdio: 'ignore' });
} catch {
  process.stderr.write(
    'build.ts: Go is not installed (apt-get install -y golang-go golang-google-grpc-dev golang-google-protobuf-dev)\n',
  );
  process.exit(2);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'go-provider-'));
try {
  fs.copyFileSync(path.join(__dirname, 'main.go'), path.join(work, 'main.go'));
  fs.writeFileSync(path.join(work, 'schema.bin'), encodeProviderSchema(ovirtProvider));
  const names = releaseNames({ type: OVIRT_PROVIDER.type, version: PROVIDER_VERSION });
  const exe = path.join(work, names.executable);
  // -s -w as release builds of Go providers strip them (goreleaser's default flags).
  execFileSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', exe, '.'], {
    cwd: work,
    stdio: 'inherit',
    env: {
      ...process.env,
      GO111MODULE: 'off',
      GOPATH: '/usr/share/gocode',
      GOCACHE: path.join(work, 'cache'),
      CGO_ENABLED: '0',
    },
  });
  writeRelease({ ...OVIRT_PROVIDER, version: PROVIDER_VERSION, outDir: out, executables: { linux_amd64: exe } });
  fs.copyFileSync(exe, path.join(out, names.executable));
  process.stdout.write(`wrote ${out} (${(fs.statSync(exe).size / 1e6).toFixed(1)} MB executable)\n`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
