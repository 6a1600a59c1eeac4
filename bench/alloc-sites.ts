/**
 * Where a scrape allocates: V8's sampling heap profiler over N scrapes of an exporter running in
 * this process, counting every sampled allocation (those collected since included), per scrape.
 *   node dist/bench/alloc-sites.js [--scrapes N] [--interval BYTES] [--survivors] [--concurrency N] [-- exporter flags]
 * --survivors counts only objects that outlived the young generation (what fills the old one
 * between full GCs, and so the heap a burst leaves committed). --concurrency N keeps N scrapes in
 * flight (as bench/compare's 8-scraper phase), the N scrapes' data alive together.
 * Prints the total, the top allocation sites by self size, the same grouped by the nearest frame
 * of our own code (a builtin such as String.prototype.split charged to its caller), and builtins
 * by their caller. bench/compare.ts reports the total from --trace-gc-nvp; this says where it goes.
 */
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import { collectorDefinitions } from '../src/collectors/index.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { packageVersion, startExporter } from '../src/app.js';
import { freePort } from './free-port.js';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

const args = process.argv.slice(2);
const own = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
const extra = args.includes('--') ? args.slice(args.indexOf('--') + 1) : [];
const opt = (name: string, fallback: number): number => {
  const i = own.indexOf(name);
  return i >= 0 ? Number(own[i + 1]) : fallback;
};
const scrapes = opt('--scrapes', 200);
const interval = opt('--interval', 512);
/** --survivors: only what outlived the young generation (promoted to old space, live or collected by a full GC since). */
const survivors = own.includes('--survivors');
const concurrency = opt('--concurrency', 1);

const port = await freePort();
const parsed = parseConfig([`--web.listen-address=127.0.0.1:${port}`, ...extra], collectorDefinitions, packageVersion());
if (parsed.config === undefined) throw new Error('bad exporter flags');
const exporter = await startExporter(parsed.config, collectorDefinitions, createLogger('error', 'logfmt'));
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const scrape = () =>
  new Promise<void>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/metrics', agent, headers: { 'accept-encoding': 'gzip' } }, (res) => {
        res.on('data', () => {});
        res.on('end', resolve);
      })
      .on('error', reject);
  });
// Warm up: code optimised, caches filled, as in a running exporter.
for (let i = 0; i < 100; i++) await scrape();
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', { samplingInterval: interval, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: !survivors });
let started = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (started++ < scrapes) await scrape();
  }),
);
const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: ProfileNode } };
await exporter.close();
agent.destroy();

const self = new Map<string, number>();
const ours = new Map<string, number>();
const builtins = new Map<string, number>();
const bump = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/dist\//, '')}:${n.callFrame.lineNumber + 1}`;
const isOurs = (n: ProfileNode) => n.callFrame.url.includes('/dist/src/');
let total = 0;
const walk = (n: ProfileNode, stack: ProfileNode[]) => {
  if (n.selfSize > 0) {
    total += n.selfSize;
    bump(self, label(n), n.selfSize);
    const nearest = [n, ...stack].find(isOurs);
    bump(ours, nearest === undefined ? label(n) : label(nearest), n.selfSize);
    const parent = stack[0];
    if (n.callFrame.url === '' && parent !== undefined) bump(builtins, `${label(n)} <- ${label(parent)}`, n.selfSize);
  }
  for (const c of n.children) walk(c, [n, ...stack]);
};
walk(profile.head, []);
const kib = (b: number) => (b / scrapes / 1024).toFixed(1).padStart(8);
const top = (title: string, m: Map<string, number>, n: number) => {
  console.log(`--- ${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${kib(v)}  ${k}`);
};
console.log(
  `sampled ${survivors ? 'promotion (objects that outlived the young generation)' : 'allocation'}: ${kib(total).trim()} KiB per scrape over ${scrapes} scrapes (sampling interval ${interval} bytes)`,
);
top('self, by site (KiB per scrape)', self, 30);
top('by the nearest frame of our code', ours, 40);
top('builtins, by caller', builtins, 30);
process.exit(0);
