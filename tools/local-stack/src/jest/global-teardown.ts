import { STARTED_KEY, loadStackSession, type GlobalWithStarted } from './global-setup';

/** Jest globalTeardown: stops only the servers global-setup started (and none while another run still uses them). */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as GlobalWithStarted;
  const started = holder[STARTED_KEY];
  if (started === undefined) return;
  delete holder[STARTED_KEY];
  await loadStackSession().stopForJest(started);
}
