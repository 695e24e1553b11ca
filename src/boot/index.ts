/** The boot package: Ignition and iPXE builders, the boot server and its admin client. */
export * from './errors';
export * from './entry';
export { BootAdminClient, type BootAdminClientOptions } from './client';
export {
  IgnitionBuilder,
  pointerConfig,
  sha512Hash,
  type IgnitionVersion,
  type RemoteSource,
} from './ignition/builder';
export { validateIgnition, type IgnitionReport, type IgnitionIssue } from './ignition/validate';
export { toDataUrl } from './ignition/dataurl';
export * from './ipxe/builder';
export { startBootServer, type BootServerOptions, type RunningBootServer } from './server/server';
export { FileStore, MemoryStore, type Store, type StoredEntry } from './server/store';
