// Preloaded (`node --require`) into a measured child process: at exit, writes the process's peak resident set
// size (getrusage ru_maxrss, in KiB) to the file named by BENCH_RSS_FILE. Plain CommonJS so that it loads before
// any TypeScript loader.
const { writeFileSync } = require('node:fs');

const target = process.env.BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    writeFileSync(target, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }));
  });
}
