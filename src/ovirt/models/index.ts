/** All engine models (zod schemas and their inferred types). */
export * from './zod-helpers';
export * from './disk';
export * from './vm';
export * from './template';
export * from './infra';
export * from './misc';
export * from './image-transfer';
export * from './snapshot';
export * from './graphics-console';
