/**
 * The protocols the engine accepts for a graphics console. Its own module without zod, so that the
 * provider's schema can name them without loading the engine client (schema and validate processes).
 */
export const GRAPHICS_PROTOCOLS = ['spice', 'vnc'] as const;
/** `spice` or `vnc`. */
export type GraphicsProtocol = (typeof GRAPHICS_PROTOCOLS)[number];
