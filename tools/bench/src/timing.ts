// The bench's modules take their pause from here; the one implementation is node-io's (`node:timers/promises`).
export { sleep } from '@ddb-os/node-io';
