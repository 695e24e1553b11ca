/**
 * The provider server without transport: one async function per tfplugin6 RPC, over decoded
 * protocol messages. The gRPC layer and the in-process harness both call it.
 */
import type { Logger } from '../log';
import type { AnyProvider } from '../schema/define';
import type { ServiceHandlers } from '../protocol/wire';
import { ServerContext } from './context';
import { readDataSource } from './data-rpc';
import * as p from './provider-rpc';
import { applyResourceChange, planResourceChange } from './resource-change';
import { importResourceState, readResource, upgradeResourceState } from './resource-state';
import { checkDeclaration } from './schema-model';

/** The tfplugin6 RPC implementations: decoded request in, response message out. */
export type ProviderRpcs = ServiceHandlers<'tfplugin6.Provider'>;

/** Creates the RPC table for a provider; throws when a declaration is invalid (caught at
 *  start-up, before Terraform sees a broken schema). */
export function createProviderServer(provider: AnyProvider, log: Logger): { ctx: ServerContext; rpcs: ProviderRpcs } {
  const problems = [...provider.resources, ...(provider.dataSources ?? [])].flatMap(checkDeclaration);
  if (problems.length) throw new Error(`invalid provider schema:\n  ${problems.join('\n  ')}`);
  const ctx = new ServerContext(provider, log);
  const rpcs: ProviderRpcs = {
    GetMetadata: () => p.getMetadata(ctx),
    GetProviderSchema: () => p.getProviderSchema(ctx),
    ValidateProviderConfig: (r) => p.validateProviderConfig(ctx, r),
    ConfigureProvider: (r) => p.configureProvider(ctx, r),
    ValidateResourceConfig: (r) => p.validateResourceConfig(ctx, r),
    ValidateDataResourceConfig: (r) => p.validateDataResourceConfig(ctx, r),
    UpgradeResourceState: (r) => upgradeResourceState(ctx, r),
    ReadResource: (r) => readResource(ctx, r),
    PlanResourceChange: (r) => planResourceChange(ctx, r),
    ApplyResourceChange: (r) => applyResourceChange(ctx, r),
    ImportResourceState: (r) => importResourceState(ctx, r),
    ReadDataSource: (r) => readDataSource(ctx, r),
    StopProvider: () => p.stopProvider(ctx),
  };
  return { ctx, rpcs };
}
