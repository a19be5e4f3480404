export { demoSync, syncs } from './sync.config';
