export * from './types';
export * from './constants';
export * from './errors';
export { stackEndpointMap, parseEndpoint, isLoopbackHost, parseServerNames } from './config';
export { ensureStackUp, stopStack, stackStatus } from './stack';
export { takeLease, releaseLease } from './lock';
export { stackPaths, workspaceRoot } from './paths';
export { formatStatus, formatUpReport, versionsLine } from './format';
