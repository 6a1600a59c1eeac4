import { formatResults, runFuzz } from './run.js';
import { TARGETS } from './targets.js';

/**
 * `npm run fuzz [-- --runs N --seed S --only substring]`: the long run of the parser fuzzer
 * (npm test runs 2,000 cases per parser with a fixed seed; this defaults to 50,000 and a seed
 * from the clock, printed so a failure can be replayed).
 */
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};
const runs = Number(arg('runs') ?? 50_000);
const seed = Number(arg('seed') ?? Date.now() % 2 ** 31);
const only = arg('only');
const targets = TARGETS.filter((t) => only === undefined || t.name.includes(only));
console.log(`fuzzing ${targets.length} parsers, ${runs} cases each, seed ${seed}`);
const started = Date.now();
const results = await runFuzz(
  targets.map((t) => ({ target: t.name, runs, seed })),
  { timeoutMs: Math.max(120_000, runs * 20), parallel: 2 },
);
console.log(formatResults(results));
const failed = results.filter((r) => r.failure !== undefined);
for (const r of failed) console.log(`\n${r.target}: ${r.failure}`);
console.log(`\n${results.reduce((n, r) => n + r.runs, 0)} cases in ${((Date.now() - started) / 1000).toFixed(0)} s, ${failed.length} parsers failed`);
process.exitCode = failed.length === 0 ? 0 : 1;
