export * from './types';
export * from './errors';
export { SERVERLESS_REFUSAL } from './definition-schema';
export { declaredKeyAttributes } from './transform-rules';
export { applyTransform, documentSchemaOf, hashOf } from './transform';
export { documentShapes } from './document-shapes';
export { defineSyncs, type ResolvedSync, type Syncs } from './define-syncs';
