import { EXIT } from '@ddb-os/node-io';

/** Exit codes of `ddb-os`, the same for every command: the tools' own (`@ddb-os/node-io`). */
export { EXIT };

export const EXIT_HELP = `Exit codes:
  ${EXIT.ok}    done: loaded, clean (verify), replayed, everything present (status), runner stopped cleanly
  ${EXIT.attention}    attention: drift remains, items or objects not indexed / replayed, something missing (status)
  ${EXIT.error}    usage, definition or configuration error, or an error that stopped the command
  ${EXIT.interrupted}  interrupted (Ctrl-C); a backfill continues with --resume`;
