/**
 * A small, general Terraform plugin SDK: declare a provider with {@link defineProvider},
 * resources with {@link defineResource} (or `withClient<C>()`), and run it with `serve`
 * (./grpc/serve). Knows nothing of oVirt.
 *
 * This index holds what a provider's declarations need and loads no Node module beyond fs and
 * path: every provider process loads it before its handshake, and a V8 startup snapshot holds it
 * (the provider's single executable). The server (./grpc/serve: http2, tls), the installer
 * (./install: child_process, zlib) and the test harness (./testing) are their own entry points.
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
export { updateLockFile, updateLockText, type LockEntry } from './lockfile';
export { describeProvider, type SchemaDoc, type AttributeDoc, type BlockDoc } from './schema/describe';
