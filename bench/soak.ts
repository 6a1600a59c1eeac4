/**
 * Soak: months of scraping compressed into one run, as root.
 *   node dist/bench/soak.js [--scrapes 100000] [--scrapers 2] [--every 1000] [--churn 20] [--out soak.json]
 * The exporter runs its default collectors against this host (its /proc, with /proc/net from a
 * network namespace of ours, and its /sys), plus the filesystem collector on a mount table of
 * its own. `--scrapers` clients scrape back to back (one asking for gzip), while interfaces
 * and tmpfs mounts churn: each round replaces `--churn` of each (test/helpers/churn-host.ts).
 * Every `--every` scrapes it prints the exporter's RSS, V8 heap used (its own
 * nodejs_heap_size_used_bytes), open fds and threads; at the end first and last values and the
 * least-squares slope after warm-up (the first 10% of samples), per 10,000 scrapes.
 */
import { writeFileSync } from 'node:fs';
import { churnBlocker, heapUsedBytes, processFigures, slope, startChurnHost } from '../test/helpers/churn-host.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(args[i + 1]);
};
const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
const SCRAPES = opt('scrapes', 100_000);
const SCRAPERS = opt('scrapers', 2);
const EVERY = opt('every', 1000);
const CHURN = opt('churn', 20);

export interface SoakSample {
  scrapes: number;
  seconds: number;
  rssMiB: number;
  heapMiB: number;
  fds: number;
  threads: number;
  churnRounds: number;
}

const why = churnBlocker();
if (why !== undefined) {
  console.error(`soak: ${why}`);
  process.exit(2);
}

const host = await startChurnHost({
  count: CHURN,
  realProc: true,
  // The test helper keeps the exporter's output in memory: debug lines for 100,000 scrapes would not fit in a string.
  logLevel: 'info',
  collectors: ['--collector.filesystem', '--no-collector.netdev.netlink', '--no-collector.arp.netlink'],
});
const started = Date.now();
const samples: SoakSample[] = [];
let done = 0;
let begun = 0;
let failures = 0;
let rounds = 0;
let stop = false;
const url = `${host.exporter.base}/metrics`;

console.log(
  `soak: ${SCRAPES} scrapes, ${SCRAPERS} scrapers back to back, ${CHURN} ${host.kind} interfaces and ${CHURN} tmpfs mounts replaced per churn round; exporter pid ${host.pid}`,
);
console.log('scrapes  seconds  RSS MiB  heap MiB  fds  threads  churn rounds');

async function scraper(n: number): Promise<void> {
  while (!stop && begun++ < SCRAPES) {
    const res = await fetch(url, { headers: n === 1 ? { 'Accept-Encoding': 'gzip' } : {} });
    const body = await res.text();
    if (res.status !== 200) failures++;
    const k = ++done;
    if (k % EVERY === 0) {
      const p = processFigures(host.pid);
      const s: SoakSample = {
        scrapes: k,
        seconds: (Date.now() - started) / 1000,
        rssMiB: p.rssKiB / 1024,
        heapMiB: heapUsedBytes(body) / 2 ** 20,
        fds: p.fds,
        threads: p.threads,
        churnRounds: rounds,
      };
      samples.push(s);
      console.log(
        `${String(s.scrapes).padStart(7)}  ${s.seconds.toFixed(0).padStart(7)}  ${s.rssMiB.toFixed(1).padStart(7)}  ${s.heapMiB.toFixed(1).padStart(8)}  ${String(s.fds).padStart(3)}  ${String(s.threads).padStart(7)}  ${String(s.churnRounds).padStart(12)}`,
      );
    }
  }
}

async function churner(): Promise<void> {
  while (!stop && done < SCRAPES) {
    await host.churn(rounds++);
    // One round per ~10 scrapes: every scrape sees some change, the kernel is not flooded.
    const at = done;
    while (!stop && done < SCRAPES && done - at < 10) await new Promise((r) => setTimeout(r, 5));
  }
}

try {
  await Promise.all([...Array.from({ length: SCRAPERS }, (_, n) => scraper(n)), churner()]);
} finally {
  stop = true;
  await host.close();
}

const warm = samples.slice(Math.max(1, Math.floor(samples.length / 10)));
const xs = warm.map((s) => s.scrapes / 10_000);
const series = [
  ['RSS', 'MiB', (s: SoakSample) => s.rssMiB],
  ['heap used', 'MiB', (s: SoakSample) => s.heapMiB],
  ['open fds', '', (s: SoakSample) => s.fds],
  ['threads', '', (s: SoakSample) => s.threads],
] as const;
const first = samples[0];
const last = samples[samples.length - 1];
const summary = series.map(([name, unit, f]) => ({
  name,
  unit,
  first: first === undefined ? NaN : f(first),
  last: last === undefined ? NaN : f(last),
  warmMin: Math.min(...warm.map(f)),
  warmMax: Math.max(...warm.map(f)),
  slopePer10k: slope(xs, warm.map(f)),
}));
console.log(`\n${done} scrapes in ${((Date.now() - started) / 1000).toFixed(0)} s, ${failures} not 200, ${rounds} churn rounds`);
for (const s of summary) {
  console.log(
    `${s.name.padEnd(10)} first ${s.first.toFixed(1)} ${s.unit}, last ${s.last.toFixed(1)} ${s.unit}; after warm-up ${s.warmMin.toFixed(1)}–${s.warmMax.toFixed(1)}, slope ${s.slopePer10k >= 0 ? '+' : ''}${s.slopePer10k.toFixed(3)} ${s.unit} per 10,000 scrapes`,
  );
}
if (out !== undefined) writeFileSync(out, `${JSON.stringify({ scrapes: done, failures, rounds, samples, summary }, null, 1)}\n`);
process.exitCode = failures === 0 ? 0 : 1;
