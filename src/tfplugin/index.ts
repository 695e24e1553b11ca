/**
 * A small, general Terraform plugin SDK: declare a provider with {@link defineProvider},
 * resources with {@link defineResource} (or `withClient<C>()`), and run it with `serve`.
 * Knows nothing of oVirt.
 */
export { t, typeJson, parseType, type CtyType } from './cty/type';
export {
  Unknown,
  UNKNOWN,
  isUnknown,
  LosslessNumber,
  DynamicVal,
  containsUnknown,
  valuesEqual,
  type Refinements,
} from './cty/value';
export { Diagnostics, path, formatPath, type Diagnostic, type AttributePath, type PathStep } from './diagnostics';
export { createLogger, terraformProviderLogLevel, type Logger, type LogLevel } from './log';
export { parseDuration } from './duration';
export { attr, block, schema, type BlockOptions } from './schema/builders';
export * from './schema/types';
export * from './schema/define';
export { useStateForUnknown, requiresReplace, requiresReplaceIf } from './schema/modifiers';
export { oneOf, between, lengthBetween, matches } from './schema/validators';
export {
  serve,
  startServer,
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
  type ServeOptions,
  type RunningServer,
} from './grpc/serve';
export {
  installProvider,
  installRelease,
  InstallError,
  cliConfig,
  launcherScript,
  platform,
  type InstallOptions,
  type InstallResult,
  type ReleaseInstallOptions,
  type ReleaseInstallResult,
} from './install';
export { updateLockFile, updateLockText, type LockEntry } from './lockfile';
export { describeProvider, type SchemaDoc, type AttributeDoc, type BlockDoc } from './schema/describe';
export { ProviderHarness, startReattach, type ReattachServer, type PlanResult, type StateResult } from './testing';
