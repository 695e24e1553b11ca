/** Template model (`/templates`). */
import { z } from 'zod';
import { vmSchema } from './vm';
import { model, zInt, zRef, zStr, zObject } from './zod-helpers';

/** TemplateStatus: `ok | locked | illegal`. */
export type TemplateStatus = 'ok' | 'locked' | 'illegal';

/** A template: the VM-like configuration plus its version chain. */
export const templateSchema = model('template', () =>
  vmSchema.unwrap().extend({
    version: zObject({
      version_name: zStr.optional(),
      version_number: zInt.optional(),
      base_template: zRef.optional(),
    }).optional(),
    vm: zRef.optional(),
  }),
);
/** A template. `status` is a {@link TemplateStatus}. */
export type Template = z.infer<typeof templateSchema>;
