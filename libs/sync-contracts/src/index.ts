export * from './environment';
export * from './metrics';
export * from './dead-letter-message';
