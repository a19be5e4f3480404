// Run with plain `node` (no TypeScript loader, which would distort the require time) in a fresh process by
// `bench:peer`: requires a contender's module, invokes it once on a one-record batch against the null endpoint, and
// prints one JSON line with the timings. Environment: CONTENDER (ours | peer), CONTENDER_MODULE, CONTENDER_NODE,
// CONTENDER_INDEX (peer), INIT_EVENT (the batch as JSON), plus the indexer's own variables for ours.
const started = performance.now();
const kind = process.env.CONTENDER;
const loaded = require(process.env.CONTENDER_MODULE);
const required = performance.now();
const event = JSON.parse(process.env.INIT_EVENT);
const context = {
  getRemainingTimeInMillis: () => 60_000,
  functionName: 'bench-init',
  awsRequestId: 'bench-init',
  callbackWaitsForEmptyEventLoop: false,
};
const invoke =
  kind === 'ours'
    ? () => loaded.handler(event, context)
    : () =>
        loaded.pushStream({
          event,
          endpoint: process.env.CONTENDER_NODE,
          index: process.env.CONTENDER_INDEX,
          refresh: false,
          useBulk: true,
        });
invoke().then(
  (response) => {
    const done = performance.now();
    const failures = response && Array.isArray(response.batchItemFailures) ? response.batchItemFailures.length : 0;
    process.stdout.write(
      `${JSON.stringify({ requireMs: required - started, firstInvocationMs: done - required, sinceProcessStartMs: done, failures })}\n`,
    );
    process.exit(0);
  },
  (error) => {
    process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
