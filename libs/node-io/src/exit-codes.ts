/** Exit codes of every command of the operators' CLI (`ddb-os`) and the tools it runs: scripts can trust them. */
export const EXIT = {
  /** Done: loaded, clean (verify, or all drift repaired), replayed, everything present (status), runner stopped cleanly. */
  ok: 0,
  /** Attention: drift remains, items or archived objects could not be indexed or replayed, or something is missing. */
  attention: 1,
  /** Usage, definition or configuration error (nothing was done), or an error that stopped the command. */
  error: 2,
  /** Interrupted (Ctrl-C): a backfill continues with `--resume`. */
  interrupted: 130,
} as const;
