export * from './errors';
export * from './env-fields';
export * from './sync-target';
