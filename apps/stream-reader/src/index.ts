export * from './errors';
export * from './types';
export * from './config';
export * from './buffer-message';
export * from './publishers';
export * from './publish-records';
export * from './handler';
