/** What replay says about lost ranges: only comparing the table with the index restores them. */
export const REPAIR_ADVICE =
  'records of this range are gone from the stream: only a comparison of the table with the index can restore them: `verify --repair` (`npx ddb-os verify --sync <sync> --table <table> --repair`)';

export const UNPARSEABLE_ADVICE =
  'the queue message was not a failure record: inspect it (`replay inspect --key <key>`), fix its producer, and re-send it if it matters';
