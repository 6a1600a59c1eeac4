/**
 * The filesystem collector at Kubernetes scale: ours and node_exporter side by side, in one run.
 *   node dist/bench/mounts.js [--counts 1000,5000] [--hung 8] [--hung-mounts 1000] [--rounds 10]
 *       [--per-round 10] [--mount-timeout 5] [--their-attempts 10] [--churn-scrapes 1000]
 *       [--churn 100] [--churn-base 1000] [--node-exporter PATH] [--only healthy,hung,churn]
 *       [--ours-cli PATH (another build's dist/bin/node-exporter.js, e.g. before a change)]
 * Root only. Each run gets a private mount namespace (test/helpers/mount-namespace.ts) holding N
 * tmpfs mounts; both exporters run in it with only the filesystem collector, reading their own
 * (the namespace's) mount table, with the same filters and mount timeout.
 *  - healthy: N = each of --counts. Scrapes alternate between the two exporters in rounds, one
 *    scraper, no gzip; latency p50/p99 as the client sees it, CPU per scrape from /proc/<pid>/stat.
 *  - hung: --hung-mounts mounts of which --hung are FUSE mounts that never answer, spread over the
 *    table. Ours from its first scrape on: every scrape's time, and every healthy mount present
 *    with its true size. node_exporter: up to --their-attempts scrapes, each given up after the
 *    mount timeout + 5 s as a scraper would, and what each returned.
 *  - churn: --churn-base mounts plus --churn mounts replaced by new ones before every one of
 *    --churn-scrapes scrapes of ours: removed ones gone, new ones present, RSS every 100 scrapes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { filesystemDefinition } from '../src/collectors/filesystem.js';
import { freePort } from './free-port.js';
import { parseShebang } from '../test/helpers/exporter.js';
import { MountNamespace, mountNamespaceBlocker } from '../test/helpers/mount-namespace.js';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const counts = (opt('--counts') ?? '1000,5000').split(',').map(Number);
const hungCount = Number(opt('--hung') ?? 8);
const hungMounts = Number(opt('--hung-mounts') ?? 1000);
const rounds = Number(opt('--rounds') ?? 10);
const perRound = Number(opt('--per-round') ?? 10);
const mountTimeoutS = Number(opt('--mount-timeout') ?? 5);
const theirAttempts = Number(opt('--their-attempts') ?? 10);
const churnScrapes = Number(opt('--churn-scrapes') ?? 1000);
const churnSize = Number(opt('--churn') ?? 100);
const churnBase = Number(opt('--churn-base') ?? 1000);
const nodeExporter = opt('--node-exporter') ?? '/usr/bin/prometheus-node-exporter';
const only = new Set((opt('--only') ?? 'healthy,hung,churn').split(','));

const repoRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = opt('--ours-cli') ?? path.join(repoRoot, 'dist', 'bin', 'node-exporter.js');
/** The environment and Node.js flags of the CLI's shebang: ours runs as users run it. */
const launch = parseShebang(cli);
const cliNodeFlags = launch.nodeFlags;
const CLK_TCK = 100;

/** Our collector's default filters (upstream node_exporter's), given to both: Debian's 1.5.0 defaults differ. */
function filterFlags(): string[] {
  const opts = filesystemDefinition().options ?? [];
  return ['mount-points-exclude', 'fs-types-exclude'].map((f) => {
    const flag = `collector.filesystem.${f}`;
    return `--${flag}=${opts.find((o) => o.flag === flag)?.defaultValue ?? ''}`;
  });
}

interface Target {
  name: string;
  child: ChildProcess;
  port: number;
  agent: http.Agent;
}

function get(t: Target, urlPath: string, timeoutMs: number): Promise<{ ms: number; body: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get({ host: '127.0.0.1', port: t.port, path: urlPath, agent: t.agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ ms: performance.now() - t0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** Starts an exporter in the namespace; resolves once it answers on / (not /metrics: that may hang). */
async function start(ns: MountNamespace, name: string, cmd: string[], env: NodeJS.ProcessEnv = process.env): Promise<Target> {
  const port = await freePort();
  const flags = [
    '--collector.disable-defaults',
    '--collector.filesystem',
    `--path.procfs=${ns.procfs}`,
    `--collector.filesystem.mount-timeout=${mountTimeoutS}s`,
    ...filterFlags(),
    `--web.listen-address=127.0.0.1:${port}`,
  ];
  const child = spawn(ns.enter[0] ?? '', [...ns.enter.slice(1), ...cmd, ...flags], { stdio: ['ignore', 'ignore', 'pipe'], env });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const t: Target = { name, child, port, agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) };
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${log}`);
    try {
      await get(t, '/', 2000);
      return t;
    } catch {
      if (Date.now() - t0 > 15_000) throw new Error(`${name} did not listen within 15 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function stop(t: Target): Promise<void> {
  t.agent.destroy();
  if (t.child.exitCode !== null) return;
  const exited = new Promise((resolve) => t.child.once('exit', resolve));
  // SIGKILL: node_exporter's goroutines may sit in a hung statfs (killable, not interruptible).
  t.child.kill('SIGKILL');
  await exited;
}

const cpuSeconds = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
};
const rssMiB = (pid: number) => Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const f2 = (n: number) => n.toFixed(2);

/**
 * Series of the bench's mounts: mountpoint → size_bytes of each healthy tmpfs, and mountpoint →
 * device_error of each failed one (node_exporter 1.5.0 has no device_error label on the sizes).
 */
function ourMounts(body: string, base: string): { sizes: Map<string, number>; errors: Map<string, string> } {
  const sizes = new Map<string, number>();
  const errors = new Map<string, string>();
  for (const m of body.matchAll(/^node_filesystem_size_bytes\{device="ntsbench",(?:device_error="",)?fstype="tmpfs",mountpoint="([^"]+)"\} (\S+)$/gm)) {
    if (m[1]?.startsWith(`${base}/`)) sizes.set(m[1], Number(m[2]));
  }
  for (const m of body.matchAll(/^node_filesystem_device_error\{device="[^"]*",device_error="([^"]+)",fstype="[^"]*",mountpoint="([^"]+)"\} 1$/gm)) {
    if (m[2]?.startsWith(`${base}/`)) errors.set(m[2], m[1] ?? '');
  }
  return { sizes, errors };
}

const mountDirs = (base: string, n: number, tag = 'm') => Array.from({ length: n }, (_, i) => `${base}/${tag}${String(i).padStart(5, '0')}`);
const ours = (ns: MountNamespace) => start(ns, 'ours', [process.execPath, ...cliNodeFlags, cli], { ...process.env, ...launch.env });
const theirs = (ns: MountNamespace) => start(ns, 'node_exporter', [nodeExporter]);

interface Healthy {
  n: number;
  p50: [number, number];
  p99: [number, number];
  cpu: [number, number];
  collector: [number, number];
  series: [number, number];
}

async function healthyRun(n: number): Promise<Healthy> {
  const ns = await MountNamespace.create('nts-bench-mounts-');
  const targets: Target[] = [];
  try {
    const dirs = mountDirs(ns.base, n);
    for (let i = 0; i < dirs.length; i += 500) await ns.mount(dirs.slice(i, i + 500));
    targets.push(await ours(ns), await theirs(ns));
    const ms: number[][] = [[], []];
    /** The collector's own time, as each exporter reports it (node_scrape_collector_duration_seconds). */
    const coll: number[][] = [[], []];
    const cpu = [0, 0];
    const series: [number, number] = [0, 0];
    for (const [i, t] of targets.entries()) {
      const { body } = await get(t, '/metrics', 30_000);
      const { sizes, errors } = ourMounts(body, ns.base);
      series[i] = sizes.size;
      if (sizes.size !== n || errors.size !== 0 || [...sizes.values()].some((v) => v !== 65536)) {
        throw new Error(`${t.name}: ${sizes.size} of ${n} mounts with size 65536, ${errors.size} with errors`);
      }
      for (let k = 0; k < 20; k++) await get(t, '/metrics', 30_000); // warm-up: the JIT, Go's heap
    }
    for (let r = 0; r < rounds; r++) {
      for (const [i, t] of targets.entries()) {
        const pid = t.child.pid ?? 0;
        const c0 = cpuSeconds(pid);
        for (let k = 0; k < perRound; k++) {
          const { ms: took, body } = await get(t, '/metrics', 30_000);
          ms[i]?.push(took);
          coll[i]?.push(Number(/^node_scrape_collector_duration_seconds\{collector="filesystem"\} (\S+)$/m.exec(body)?.[1]) * 1000);
        }
        cpu[i] = (cpu[i] ?? 0) + cpuSeconds(pid) - c0;
      }
    }
    const count = rounds * perRound;
    return {
      n,
      p50: [pct(ms[0] ?? [], 50), pct(ms[1] ?? [], 50)],
      p99: [pct(ms[0] ?? [], 99), pct(ms[1] ?? [], 99)],
      cpu: [((cpu[0] ?? 0) / count) * 1000, ((cpu[1] ?? 0) / count) * 1000],
      collector: [pct(coll[0] ?? [], 50), pct(coll[1] ?? [], 50)],
      series,
    };
  } finally {
    for (const t of targets) await stop(t);
    await ns.close();
  }
}

async function hungRun(): Promise<void> {
  const ns = await MountNamespace.create('nts-bench-hung-');
  const targets: Target[] = [];
  try {
    const healthy = mountDirs(ns.base, hungMounts - hungCount);
    const hung = mountDirs(ns.base, hungCount, 'hung');
    // Spread over the table: a hung mount every hungMounts/hungCount mounts.
    const step = Math.floor(healthy.length / hungCount);
    for (let h = 0; h < hungCount; h++) {
      await ns.mount(healthy.slice(h * step, (h + 1) * step));
      await ns.mountHung(hung.slice(h, h + 1));
    }
    await ns.mount(healthy.slice(hungCount * step));
    const limitMs = mountTimeoutS * 1000 + 500;
    console.log(`\n${hungMounts} mounts, ${hungCount} of them FUSE mounts that never answer; mount timeout ${mountTimeoutS} s (bound: ${limitMs} ms)`);

    const us = await ours(ns);
    targets.push(us);
    const times: number[] = [];
    let bad = 0;
    for (let i = 0; i < 30; i++) {
      const { ms, body } = await get(us, '/metrics', 60_000);
      times.push(ms);
      const { sizes, errors } = ourMounts(body, ns.base);
      const healthyOk = healthy.every((d) => sizes.get(d) === 65536);
      const hungOk = hung.every((d) => errors.get(d) === 'mountpoint timeout');
      if (!healthyOk || !hungOk || ms > limitMs) {
        bad++;
        console.log(
          `  ours scrape ${i + 1}: ${f2(ms)} ms, ${sizes.size} healthy mounts with their size, ${[...errors.values()].filter((e) => e === 'mountpoint timeout').length} timeouts`,
        );
      }
    }
    const later = times.slice(1);
    console.log(
      `  ours: first scrape ${f2(times[0] ?? NaN)} ms, then p50 ${f2(pct(later, 50))} ms, p99 ${f2(pct(later, 99))} ms, max ${f2(Math.max(...later))} ms over ${later.length}; ` +
        `${bad === 0 ? `every scrape within ${limitMs} ms with all ${healthy.length} healthy mounts and their true size, the ${hungCount} hung as "mountpoint timeout"` : `${bad} scrapes FAILED the bound or the content`}`,
    );

    const them = await theirs(ns);
    targets.push(them);
    const giveUp = mountTimeoutS * 1000 + 5000;
    for (let i = 0; i < theirAttempts; i++) {
      // A fresh connection per attempt: a request given up on leaves its socket busy.
      them.agent.destroy();
      them.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const { ms, body } = await get(them, '/metrics', giveUp);
        const { sizes, errors } = ourMounts(body, ns.base);
        console.log(
          `  node_exporter attempt ${i + 1}: answered in ${f2(ms)} ms with ${sizes.size} healthy mounts, ${errors.size} with a device error (${[...new Set(errors.values())].join(', ')})`,
        );
        break;
      } catch (err) {
        console.log(`  node_exporter attempt ${i + 1}: ${(err as Error).message}`);
      }
    }
  } finally {
    for (const t of targets) await stop(t);
    await ns.release().catch(() => undefined);
    await ns.close();
  }
}

async function churnRun(): Promise<void> {
  const ns = await MountNamespace.create('nts-bench-churn-');
  let us: Target | undefined;
  try {
    const base = mountDirs(ns.base, churnBase);
    for (let i = 0; i < base.length; i += 500) await ns.mount(base.slice(i, i + 500));
    us = await ours(ns);
    const pid = us.child.pid ?? 0;
    console.log(`\nchurn: ${churnBase} mounts, ${churnSize} replaced by new ones before each of ${churnScrapes} scrapes (ours only)`);
    let prev: string[] = [];
    const rss: number[] = [];
    const times: number[] = [];
    const c0 = cpuSeconds(pid);
    for (let i = 0; i < churnScrapes; i++) {
      const names = mountDirs(ns.base, churnSize, `c${i}x`);
      await ns.run([...prev.map((d) => `umount ${d}`), ...names.map((d) => `mount ${d}`)]);
      const { ms, body } = await get(us, '/metrics', 30_000);
      times.push(ms);
      const { sizes } = ourMounts(body, ns.base);
      const missing = names.filter((d) => sizes.get(d) !== 65536).length + base.filter((d) => sizes.get(d) !== 65536).length;
      const stale = prev.filter((d) => body.includes(`mountpoint="${d}"`)).length;
      if (missing > 0 || stale > 0) throw new Error(`churn scrape ${i + 1}: ${missing} mounts missing, ${stale} removed mounts still served`);
      prev = names;
      if (i % 100 === 99) rss.push(rssMiB(pid));
    }
    const cpuMs = ((cpuSeconds(pid) - c0) / churnScrapes) * 1000;
    console.log(
      `  every scrape: the ${churnSize} removed mounts gone, the ${churnSize} new ones and the ${churnBase} others present with their size\n` +
        `  latency p50 ${f2(pct(times, 50))} ms, p99 ${f2(pct(times, 99))} ms; CPU ${f2(cpuMs)} ms per scrape (with the churn's mount table reparse)\n` +
        `  RSS every 100 scrapes (MiB): ${rss.map((r) => r.toFixed(0)).join(' ')}`,
    );
  } finally {
    if (us !== undefined) await stop(us);
    await ns.close();
  }
}

const blocker = mountNamespaceBlocker(only.has('hung'));
if (blocker !== undefined) {
  console.error(`bench/mounts: ${blocker}`);
  process.exit(2);
}
console.log(
  `ours: node ${process.version} ${cliNodeFlags.join(' ')} ${cli}; theirs: ${nodeExporter}; filesystem collector only; ${rounds} rounds × ${perRound} scrapes each, alternating`,
);
if (only.has('healthy')) {
  const results: Healthy[] = [];
  for (const n of counts) results.push(await healthyRun(n));
  const head = (h: string) => `${h.padStart(30)} ${'ratio'.padStart(6)}`;
  console.log(
    `\n${'mounts'.padStart(6)} ${head('p50 ours / theirs (ms)')} ${head('p99 ours / theirs (ms)')} ${head('CPU/scrape ours / theirs (ms)')} ${head('collector p50 ours / theirs')}`,
  );
  for (const r of results) {
    const row = (pair: [number, number]) => `${`${f2(pair[0])} / ${f2(pair[1])}`.padStart(30)} ${`${(pair[0] / pair[1]).toFixed(2)}x`.padStart(6)}`;
    console.log(`${String(r.n).padStart(6)} ${row(r.p50)} ${row(r.p99)} ${row(r.cpu)} ${row(r.collector)}`);
  }
  if (results.length > 1) {
    const [a, b] = [results[0], results[results.length - 1]];
    if (a !== undefined && b !== undefined) {
      const k = b.n / a.n;
      console.log(
        `growth ${a.n} → ${b.n} mounts (x${k}): p50 ours x${(b.p50[0] / a.p50[0]).toFixed(2)}, theirs x${(b.p50[1] / a.p50[1]).toFixed(2)}; CPU ours x${(b.cpu[0] / a.cpu[0]).toFixed(2)}, theirs x${(b.cpu[1] / a.cpu[1]).toFixed(2)}`,
      );
    }
  }
}
if (only.has('hung')) await hungRun();
if (only.has('churn')) await churnRun();
