/** Plan modifiers: small factories returning {@link PlanModifier} objects. */
import { isUnknown } from '../cty/value';
import type { PlanModifier, PlanModifyRequest } from './types';

/**
 * Keeps the prior state value instead of "(known after apply)" for a computed attribute that an
 * update cannot alter, so a plan shows only what really changes. `unless` names the attributes of
 * the same block whose change makes the remote side recompute this one: when any of them
 * changes, the value stays unknown.
 */
export function useStateForUnknown(opts: { unless?: readonly string[] } = {}): PlanModifier<any> {
  const unless = opts.unless ?? [];
  return {
    description: unless.length
      ? `Unless ${unless.map((n) => `\`${n}\``).join(' or ')} changes, an update keeps the value of this attribute.`
      : 'Once set, the value of this attribute in state will not change.',
    modify: (req) =>
      !req.creating && isUnknown(req.plan) && !isUnknown(req.config) && !unless.some((n) => req.siblingChanged(n))
        ? req.state
        : undefined,
  };
}

/** Replaces the resource when this attribute changes (same as `forceNew: true`). */
export function requiresReplace(): PlanModifier<any> {
  return {
    description: 'If the value of this attribute changes, Terraform will destroy and recreate the resource.',
    modify: () => undefined,
    requiresReplace: () => true,
  };
}

/** Replaces the resource when this attribute changes and `test` says so (e.g. only on shrink). */
export function requiresReplaceIf<V>(
  description: string,
  test: (req: PlanModifyRequest<V>) => boolean,
): PlanModifier<V> {
  return { description, modify: () => undefined, requiresReplace: test };
}
