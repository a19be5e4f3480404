export * from './types';
export * from './constants';
export * from './errors';
export * from './endpoints';
export * from './clients';
export * from './names';
export * from './wait-for';
export * from './fixtures';
// export * from './fault-proxy';
