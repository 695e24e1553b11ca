/**
 * What every handler of the provider receives as `client`: the engine client (created once per
 * provider process), the boot server's admin client, and the provider's default timeouts.
 */
import * as path from 'node:path';
import type { OvirtClient, Logger as EngineLogger } from '../ovirt';
import type { BootAdminClient } from '../boot/client';
import type { Timeouts } from '../tfplugin';
import type { ResolvedConfig } from './config';
import { ProviderError } from './errors';
import { RefreshReads } from './refresh-reads';

/** The provider's per-process context. */
export class ProviderClient {
  private engineClient?: OvirtClient;
  private bootClient?: BootAdminClient;
  /** What a VM's refresh read brought along for its NICs' and attachments' reads. */
  readonly refreshReads = new RefreshReads();

  constructor(
    readonly config: ResolvedConfig,
    private readonly logger?: EngineLogger,
  ) {}

  /** Timeouts from the provider's `default_timeouts` block. */
  get defaultTimeouts(): Timeouts {
    return this.config.defaultTimeouts;
  }

  /** The engine client; a `not_configured` ProviderError when the provider block lacks the engine settings. */
  get engine(): OvirtClient {
    if (this.engineClient) return this.engineClient;
    const engineSettings = this.config.engine;
    if ('missing' in engineSettings) throw new ProviderError('not_configured', engineSettings.missing);
    // Loaded on first use: processes that only validate or plan never pay for the HTTP stack.
    const { OvirtClient: Client, FileTokenStore, userCacheDir } = require('../ovirt') as typeof import('../ovirt');
    // Terraform starts the provider several times per command: one SSO login serves them all.
    const tokenStore =
      engineSettings.tokenCache && engineSettings.auth === 'sso'
        ? new FileTokenStore(
            path.join(userCacheDir(), 'ovirt-cdktf', 'sso-tokens'),
            engineSettings.url.replace(/\/+$/, ''),
            engineSettings.username,
            engineSettings.password,
          )
        : undefined;
    this.engineClient = new Client({
      url: engineSettings.url,
      username: engineSettings.username,
      password: engineSettings.password,
      auth: engineSettings.auth,
      tokenStore,
      caFile: engineSettings.caFile,
      caPem: engineSettings.caPem,
      insecure: engineSettings.insecure,
      logger: this.logger,
      correlationIdPrefix: 'tf',
      // The engine's JSON decodes ~20x faster than its XML (bench/ovirt-client/decode.ts), and a
      // provider process reads every managed object on each plan.
      format: 'json',
      // Terraform runs are long and unattended: ride out a flaky engine or proxy (503s, resets)
      // longer than an interactive client would. Each wait is still bounded by the operation's timeout.
      maxAttempts: 8,
    });
    return this.engineClient;
  }

  /** True when the provider block (or environment) names an engine. */
  get hasEngine(): boolean {
    return !('missing' in this.config.engine);
  }

  /** The boot server's admin client; a `not_configured` ProviderError without a `boot_server` block. */
  get boot(): BootAdminClient {
    if (this.bootClient) return this.bootClient;
    const bootSettings = this.config.boot;
    if (!bootSettings) {
      throw new ProviderError(
        'not_configured',
        'No boot server is configured: add a `boot_server { url, token }` block to the provider "ovirt" block (or set OVIRT_BOOT_URL and OVIRT_BOOT_TOKEN).',
      );
    }
    const { BootAdminClient: Admin } = require('../boot/client') as typeof import('../boot/client');
    this.bootClient = new Admin({ url: bootSettings.url, token: bootSettings.token, caPem: bootSettings.caPem });
    return this.bootClient;
  }
}
