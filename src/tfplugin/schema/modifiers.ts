/** Plan modifiers: small factories returning {@link PlanModifier} objects. */
import { isUnknown } from '../cty/value';
import type { PlanModifier, PlanModifyRequest } from './types';

/** Keeps the prior state value instead of "(known after apply)" when the value cannot change
 *  after creation (ids, creation dates). */
export function useStateForUnknown(): PlanModifier<any> {
  return {
    description: 'Once set, the value of this attribute in state will not change.',
    modify: (req) => (!req.creating && isUnknown(req.plan) && req.state !== null && !isUnknown(req.config) ? req.state : undefined),
  };
}

/** Replaces the resource when this attribute changes (same as `forceNew: true`). */
export function requiresReplace(): PlanModifier<any> {
  return { description: 'If the value of this attribute changes, Terraform will destroy and recreate the resource.', modify: () => undefined, requiresReplace: () => true };
}

/** Replaces the resource when this attribute changes and `test` says so (e.g. only on shrink). */
export function requiresReplaceIf<V>(description: string, test: (req: PlanModifyRequest<V>) => boolean): PlanModifier<V> {
  return { description, modify: () => undefined, requiresReplace: test };
}
