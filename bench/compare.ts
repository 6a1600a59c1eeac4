/**
 * Side-by-side: our exporter and node_exporter, same host, same collectors, one run.
 *   node dist/bench/compare.js [--scrapes N] [--node-exporter PATH] [-- extra flags for both]
 * Reports scrape latency (1 and 8 concurrent scrapers, gzip), CPU time per scrape and RSS,
 * with ratios ours/theirs. Loopback only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? dflt) : dflt;
};
const scrapes = Number(opt('--scrapes', '300'));
const nodeExporter = opt('--node-exporter', 'prometheus-node-exporter');
const extra = args.includes('--') ? args.slice(args.indexOf('--') + 1) : [];
const collectors = ['filesystem', 'loadavg', 'meminfo', 'os', 'time', 'uname'];
const flags = ['--collector.disable-defaults', ...collectors.map((c) => `--collector.${c}`), ...extra];
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli.js');
const CLK_TCK = 100;

interface Target { name: string; child: ChildProcess; port: number }

function start(name: string, cmd: string[], port: number): Promise<Target> {
  const child = spawn(cmd[0] ?? '', [...cmd.slice(1), ...flags, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const poll = () =>
      http.get({ host: '127.0.0.1', port, path: '/metrics' }, (res) => { res.resume(); res.on('end', () => resolve({ name, child, port })); })
        .on('error', () => (Date.now() - t0 > 10_000 ? reject(new Error(`${name} did not start`)) : setTimeout(poll, 50)));
    poll();
  });
}

function scrape(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    http.get({ host: '127.0.0.1', port, path: '/metrics', headers: { 'accept-encoding': 'gzip' }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - t0));
    }).on('error', reject);
  });
}

const cpuSeconds = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
};
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

async function measure(t: Target) {
  const pid = t.child.pid ?? 0;
  for (let i = 0; i < 20; i++) await scrape(t.port); // warm-up
  const cpu0 = cpuSeconds(pid);
  const one: number[] = [];
  for (let i = 0; i < scrapes; i++) one.push(await scrape(t.port));
  const cpuPerScrape = ((cpuSeconds(pid) - cpu0) / scrapes) * 1000;
  const eight: number[] = [];
  const worker = async () => { for (let i = 0; i < scrapes / 8; i++) eight.push(await scrape(t.port)); };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { p50: pct(one, 50), p99: pct(one, 99), p50x8: pct(eight, 50), p99x8: pct(eight, 99), cpuMs: cpuPerScrape, rss: rssMiB(pid) };
}

const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
const ours = await start('node-exporter-ts', [process.execPath, cli], 19310);
const theirs = await start('node_exporter', [nodeExporter], 19311);
try {
  const a = await measure(ours);
  const b = await measure(theirs);
  const bareRss = rssMiB(bare.pid ?? 0);
  const row = (label: string, x: number, y: number, unit: string) =>
    console.log(`${label.padEnd(28)} ${x.toFixed(2).padStart(9)} ${y.toFixed(2).padStart(9)} ${unit.padEnd(4)} ${(x / y).toFixed(2).padStart(6)}x`);
  console.log(`collectors: ${collectors.join(',')}; ${scrapes} scrapes each, gzip; node ${process.version}`);
  console.log(`${''.padEnd(28)} ${'ours'.padStart(9)} ${'theirs'.padStart(9)}      ratio`);
  row('latency p50, 1 scraper', a.p50, b.p50, 'ms');
  row('latency p99, 1 scraper', a.p99, b.p99, 'ms');
  row('latency p50, 8 scrapers', a.p50x8, b.p50x8, 'ms');
  row('latency p99, 8 scrapers', a.p99x8, b.p99x8, 'ms');
  row('CPU per scrape', a.cpuMs, b.cpuMs, 'ms');
  row('RSS after the run', a.rss, b.rss, 'MiB');
  console.log(`bare Node.js process RSS: ${bareRss.toFixed(1)} MiB (ours is +${(a.rss - bareRss).toFixed(1)} MiB)`);
} finally {
  for (const c of [ours.child, theirs.child, bare]) c.kill('SIGTERM');
}
