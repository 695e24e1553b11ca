/** The provider in-process (the SDK harness), configured for a simulator. */
import type { EngineSim } from '../../src/engine-sim';
import { ovirtProvider } from '../../src/provider';
import { ProviderHarness } from '../../src/tfplugin/testing';

/** A harness whose provider is configured for `sim`, plus `extra` provider settings; throws on diagnostics. */
export async function simProvider(sim: EngineSim, extra: Record<string, unknown> = {}): Promise<ProviderHarness> {
  const provider = new ProviderHarness(ovirtProvider);
  const diagnostics = await provider.configure({
    url: sim.url,
    username: sim.username,
    password: sim.password,
    ca_file: sim.caFile,
    ...extra,
  });
  if (diagnostics.length > 0) throw new Error(`configure: ${JSON.stringify(diagnostics)}`);
  return provider;
}
