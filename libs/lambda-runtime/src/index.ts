export * from './lambda-handler';
export * from './logger';
