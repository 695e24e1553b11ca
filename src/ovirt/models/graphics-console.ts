/** Graphics consoles of VMs (`/vms/{id}/graphicsconsoles`). */
import { z } from 'zod';
import { identified, model, zRef, zStr } from './zod-helpers';

/** A graphics console: `protocol` `spice | vnc`. The engine derives its id from the protocol. */
export const graphicsConsoleSchema = model('graphics_console', () =>
  z.object({
    ...identified,
    protocol: zStr.optional(),
    vm: zRef.optional(),
  }),
);
export type GraphicsConsole = z.infer<typeof graphicsConsoleSchema>;
