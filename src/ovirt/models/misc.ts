/** Models of affinity groups, tags, jobs, the API root and action results. */
import { z } from 'zod';
import { identified, model, zBool, zDate, zInt, zList, zNum, zRef, zStr, zObject } from './zod-helpers';

/** One rule of an affinity group (`vms_rule` / `hosts_rule`), built with the affinity group model. */
const affinityRule = () =>
  zObject({
    enabled: zBool.optional(),
    positive: zBool.optional(),
    enforcing: zBool.optional(),
  });
/** One rule of an affinity group (`vms_rule` / `hosts_rule`). */
export type AffinityRule = z.infer<ReturnType<typeof affinityRule>>;

/** An affinity group (`/clusters/{id}/affinitygroups`). */
export const affinityGroupSchema = model('affinity_group', () =>
  z.object({
    ...identified,
    priority: zNum.optional(),
    positive: zBool.optional(),
    enforcing: zBool.optional(),
    broken: zBool.optional(),
    vms_rule: affinityRule().optional(),
    hosts_rule: affinityRule().optional(),
    cluster: zRef.optional(),
    vms: zList('vm', zRef),
    hosts: zList('host', zRef),
  }),
);
export type AffinityGroup = z.infer<typeof affinityGroupSchema>;

/** A tag (`/tags`, `/vms/{id}/tags`). The root tag has the all-zero id. */
export const tagSchema = model('tag', () =>
  z.object({
    ...identified,
    parent: zRef.optional(),
    vm: zRef.optional(),
  }),
);
export type Tag = z.infer<typeof tagSchema>;

/** A job (`/jobs`): status `started | finished | failed | aborted | unknown`. */
export const jobSchema = model('job', () =>
  z.object({
    ...identified,
    status: zStr.optional(),
    external: zBool.optional(),
    auto_cleared: zBool.optional(),
    start_time: zDate.optional(),
    end_time: zDate.optional(),
    last_updated: zDate.optional(),
  }),
);
export type Job = z.infer<typeof jobSchema>;

/** The API root (`GET /ovirt-engine/api`): product info and special objects. */
export const apiSchema = model('api', () =>
  z.object({
    product_info: zObject({
      name: zStr.optional(),
      vendor: zStr.optional(),
      version: zObject({
        full_version: zStr.optional(),
        major: zInt.optional(),
        minor: zInt.optional(),
        build: zInt.optional(),
        revision: zInt.optional(),
      }).optional(),
    }).optional(),
    special_objects: zObject({ blank_template: zRef.optional(), root_tag: zRef.optional() }).optional(),
    time: zDate.optional(),
    authenticated_user: zRef.optional(),
  }),
);
export type ApiRoot = z.infer<typeof apiSchema>;

/** An engine fault `<fault><reason/><detail/></fault>`. */
export const faultSchema = model('fault', () => zObject({ reason: zStr.optional(), detail: zStr.optional() }));
export type Fault = z.infer<typeof faultSchema>;

/** The result of an action (`POST /vms/{id}/start` ...). */
export const actionResultSchema = model('action', () =>
  z.object({
    status: zStr.optional(),
    fault: faultSchema.optional(),
    job: zRef.optional(),
  }),
);
export type ActionResult = z.infer<typeof actionResultSchema>;
