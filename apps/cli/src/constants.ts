/** Exit codes of `ddb-os`, the same for every command (those the tools already had). */
export const EXIT = {
  /** Done; verify found no drift; status found everything the sync needs. */
  ok: 0,
  /** Attention: drift remains, items or archived objects could not be indexed or replayed, or status found something missing. */
  attention: 1,
  /** Usage, definition or configuration error, or an error that stopped the command. */
  error: 2,
  /** Interrupted (Ctrl-C): a backfill continues with `--resume`. */
  interrupted: 130,
} as const;

export const EXIT_HELP = `Exit codes:
  ${EXIT.ok}    done: loaded, clean (verify), replayed, everything present (status), runner stopped cleanly
  ${EXIT.attention}    attention: drift remains, items or objects not indexed / replayed, something missing (status)
  ${EXIT.error}    usage, definition or configuration error, or an error that stopped the command
  ${EXIT.interrupted}  interrupted (Ctrl-C); a backfill continues with --resume`;
