import { STARTED_KEY, type GlobalWithStarted } from './global-setup';

/** Jest globalTeardown: stops only the servers global-setup started (and none while another run still uses them). */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as GlobalWithStarted;
  const started = holder[STARTED_KEY];
  if (started === undefined) return;
  delete holder[STARTED_KEY];
  const [{ releaseLease }, { stackPaths }, { stopStack }] = await Promise.all([import('../lock'), import('../paths'), import('../stack')]);
  releaseLease(stackPaths());
  if (started.length > 0) await stopStack({ servers: started, respectLeases: true });
}
