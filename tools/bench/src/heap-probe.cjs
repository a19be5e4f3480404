// Preloaded (`NODE_OPTIONS=--require`) into the backfill child of `bench:backfill-rss`: samples the V8 heap every
// 10 ms and, at exit, writes the RSS when it loaded and the peak heap used (MiB) to BENCH_HEAP_FILE. Plain CommonJS
// so that it loads before any TypeScript loader; the peak RSS itself comes from rss-probe.cjs (ru_maxrss).
const { writeFileSync } = require('node:fs');

const target = process.env.BENCH_HEAP_FILE;
if (target) {
  const baselineRss = process.memoryUsage().rss;
  let peakHeapUsed = 0;
  const sample = () => {
    peakHeapUsed = Math.max(peakHeapUsed, process.memoryUsage().heapUsed);
  };
  setInterval(sample, 10).unref();
  process.on('exit', () => {
    sample();
    const mib = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
    writeFileSync(target, JSON.stringify({ baselineRssMiB: mib(baselineRss), peakHeapUsedMiB: mib(peakHeapUsed) }));
  });
}
