import { EXIT } from '@ddb-os/backfill';

/** Exit codes of `ddb-os`, the same for every command: the tools' own (0 ok, 1 attention, 2 error, 130 interrupted). */
export { EXIT };

export const EXIT_HELP = `Exit codes:
  ${EXIT.ok}    done: loaded, clean (verify), replayed, everything present (status), runner stopped cleanly
  ${EXIT.attention}    attention: drift remains, items or objects not indexed / replayed, something missing (status)
  ${EXIT.error}    usage, definition or configuration error, or an error that stopped the command
  ${EXIT.interrupted}  interrupted (Ctrl-C); a backfill continues with --resume`;
