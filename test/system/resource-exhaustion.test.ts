/**
 * The exporter's own process running out of something (root, as on CI): open files
 * (RLIMIT_NOFILE lowered under it with prlimit), threads (a pids cgroup that lets the addon
 * start none), and heap (a small --max-old-space-size and a textfile directory of 200k series).
 * Each time the scrape must still be answered, the affected collectors fail with a clear error,
 * and the exporter neither crashes nor hangs; once the limit is lifted the next scrape is whole.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { test, type TestContext } from 'node:test';
import { processFigures } from '../helpers/churn-host.js';
import { parseExposition, startExporterProcess } from '../helpers/exporter.js';
import { fixturePath } from '../helpers/repo.js';

const FIXTURE_FLAGS = [
  `--path.procfs=${fixturePath('proc')}`,
  `--path.sysfs=${fixturePath('sys')}`,
  `--path.rootfs=${fixturePath()}`,
  `--path.udev.data=${fixturePath('run', 'udev', 'data')}`,
  `--collector.textfile.directory=${fixturePath('textfile', 'good')}`,
  '--no-collector.arp.netlink',
  '--no-collector.netdev.netlink',
];

function rootBlocker(...cmds: string[]): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (changes the limits of another process)';
  for (const cmd of cmds) if (spawnSync(cmd, ['--version']).error !== undefined) return `needs ${cmd}`;
  return undefined;
}

/** Scrapes over one kept-alive connection, so a scrape needs no new fd in the exporter. */
function keepAliveScraper(base: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (): Promise<{ status: number; body: string; ms: number }> =>
    new Promise((resolve, reject) => {
      const begin = performance.now();
      const req = http.get(`${base}/metrics`, { agent, timeout: 60_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - begin }));
      });
      req.on('timeout', () => req.destroy(new Error('scrape timed out after 60 s')));
      req.on('error', reject);
    });
  return { get, close: () => agent.destroy() };
}

/** collector → node_scrape_collector_success. */
function successes(body: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of parseExposition(body)) {
    const m = /^node_scrape_collector_success\{collector="([^"]+)"\}$/.exec(k);
    if (m?.[1] !== undefined) out.set(m[1], v);
  }
  return out;
}

const failedOf = (s: Map<string, number>) => [...s].filter(([, v]) => v === 0).map(([k]) => k);

test('RLIMIT_NOFILE lowered to the lowest free fd: the scrape is answered, collectors that could not open files report success 0 with EMFILE logged; whole again once raised', {
  timeout: 120_000,
}, async (t: TestContext) => {
  const why = rootBlocker('prlimit');
  if (why !== undefined) return t.skip(why);
  const exporter = await startExporterProcess(FIXTURE_FLAGS);
  const scraper = keepAliveScraper(exporter.base);
  const pid = exporter.child.pid ?? 0;
  try {
    const first = await scraper.get();
    assert.equal(first.status, 200);
    const baseline = successes(first.body);
    const failingAnyway = failedOf(baseline);
    const soft = execFileSync('prlimit', ['--pid', String(pid), '--nofile', '--output=SOFT', '--noheadings'], { encoding: 'utf8' }).trim();
    // The lowest free descriptor number: every number below it is taken, so with the soft limit
    // there no open() can succeed, while the descriptors already open above it stay usable.
    const used = new Set(readdirSync(`/proc/${pid}/fd`).map(Number));
    let open = 0;
    while (used.has(open)) open++;
    execFileSync('prlimit', ['--pid', String(pid), `--nofile=${open}:`]);
    const logBefore = exporter.logs().length;
    const starved = await scraper.get();
    const starvedLog = exporter.logs().slice(logBefore);
    execFileSync('prlimit', ['--pid', String(pid), `--nofile=${soft}:`]);
    const again = await scraper.get();
    const failed = failedOf(successes(starved.body)).filter((c) => !failingAnyway.includes(c));
    const emfile = starvedLog.split('\n').filter((l) => /EMFILE/.test(l));
    t.diagnostic(
      `soft limit ${soft} → ${open} (the lowest free fd): scrape ${starved.status} in ${starved.ms.toFixed(0)} ms, ${failed.length} of ${baseline.size} collectors success 0 (${failed.join(', ')}); ${emfile.length} log lines with EMFILE, e.g. ${emfile[0]?.slice(0, 300)}`,
    );
    t.diagnostic(
      `limit back to ${soft}: scrape ${again.status}, collectors failing ${JSON.stringify(failedOf(successes(again.body)))} (before the limit: ${JSON.stringify(failingAnyway)})`,
    );
    assert.equal(starved.status, 200, 'the scrape is answered');
    assert.ok(failed.length > 0, 'some collectors could not open their files');
    assert.ok(emfile.length > 0, 'EMFILE is in the log');
    assert.equal(again.status, 200);
    assert.deepEqual(failedOf(successes(again.body)), failingAnyway, 'the next scrape is whole');
    assert.equal(exporter.child.exitCode, null, 'still running');
  } finally {
    scraper.close();
    await exporter.stop();
  }
});

/** The pids controller: cgroup v1 (/sys/fs/cgroup/pids) or v2 (pids in cgroup.controllers). */
function pidsCgroupRoot(): string | undefined {
  if (existsSync('/sys/fs/cgroup/pids/cgroup.procs')) return '/sys/fs/cgroup/pids';
  const controllers = '/sys/fs/cgroup/cgroup.controllers';
  if (existsSync(controllers) && readFileSync(controllers, 'utf8').split(/\s+/).includes('pids')) return '/sys/fs/cgroup';
  return undefined;
}

test('a pids cgroup that lets the addon start no thread: the scrape is answered at once, the addon calls fail with a clear pthread_create error; whole again once lifted', {
  timeout: 120_000,
}, async (t: TestContext) => {
  const why = rootBlocker();
  if (why !== undefined) return t.skip(why);
  const root = pidsCgroupRoot();
  if (root === undefined) return t.skip('no pids cgroup controller mounted');
  const group = path.join(root, `nts-exhaust-${process.pid}`);
  try {
    mkdirSync(group);
  } catch (err) {
    return t.skip(`cannot create a pids cgroup here (${(err as Error).message})`);
  }
  const exporter = await startExporterProcess(FIXTURE_FLAGS);
  const pid = exporter.child.pid ?? 0;
  const scraper = keepAliveScraper(exporter.base);
  try {
    // Before the first scrape the addon has started (almost) none of its threads: cap the
    // process at the threads it has now, so every one the addon asks for is refused.
    const threads = processFigures(pid).threads;
    writeFileSync(path.join(group, 'pids.max'), String(threads));
    writeFileSync(path.join(group, 'cgroup.procs'), String(pid));
    const logBefore = exporter.logs().length;
    const starved = await scraper.get();
    const starvedLog = exporter.logs().slice(logBefore);
    const threadsStarved = processFigures(pid).threads;
    writeFileSync(path.join(group, 'pids.max'), 'max');
    const again = await scraper.get();
    const failed = failedOf(successes(starved.body));
    const lines = starvedLog.split('\n').filter((l) => /pthread_create/.test(l));
    t.diagnostic(
      `pids.max ${threads} (the threads it had): scrape ${starved.status} in ${starved.ms.toFixed(0)} ms with ${threadsStarved} threads; ${failed.length} collectors success 0 (${failed.join(', ')}); ${lines.length} log lines name pthread_create, e.g. ${lines[0]?.slice(0, 300)}`,
    );
    t.diagnostic(
      `pids.max lifted: scrape ${again.status} in ${again.ms.toFixed(0)} ms, collectors failing ${JSON.stringify(failedOf(successes(again.body)))}, ${processFigures(pid).threads} threads`,
    );
    assert.equal(starved.status, 200, 'the scrape is answered');
    assert.ok(starved.ms < 30_000, 'and does not hang');
    assert.ok(failed.length > 0, 'collectors whose syscalls need a thread fail');
    assert.ok(lines.length > 0, 'the log names pthread_create');
    assert.match(lines[0] ?? '', /Resource temporarily unavailable|EAGAIN/);
    assert.equal(again.status, 200);
    assert.deepEqual(failedOf(successes(again.body)), [], 'the next scrape is whole');
    assert.equal(exporter.child.exitCode, null, 'still running');
  } finally {
    scraper.close();
    await exporter.stop();
    try {
      rmdirSync(group);
    } catch {
      // the exporter's exit empties it a moment later
      setTimeout(() => rmSync(group, { recursive: false, force: true }), 500).unref();
    }
  }
});

test('heap near its limit (--max-old-space-size=96, a textfile directory of 200k series): the textfile is refused with a clear error (node_textfile_scrape_error 1), not an abort', {
  timeout: 180_000,
}, async (t: TestContext) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nts-heap-'));
  try {
    const lines = ['# HELP heap_test_series Padding for the heap-exhaustion test.', '# TYPE heap_test_series gauge'];
    for (let i = 0; i < 200_000; i++) lines.push(`heap_test_series{index="${i}",host="node-${i % 977}.example.org",pad="abcdefghijklmnop"} ${i}`);
    writeFileSync(path.join(dir, 'big.prom'), `${lines.join('\n')}\n`);
    const exporter = await startExporterProcess(
      ['--collector.disable-defaults', '--collector.textfile', '--collector.loadavg', `--path.procfs=${fixturePath('proc')}`, `--collector.textfile.directory=${dir}`],
      ['env', 'NODE_OPTIONS=--max-old-space-size=96 --max-semi-space-size=2'],
    );
    try {
      const results: { status: number; ms: number; scrapeError?: number; loadavg?: number }[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await keepAliveScraper(exporter.base)
          .get()
          .catch((err: Error) => ({ status: -1, body: String(err), ms: 0 }));
        if (r.status === -1) t.diagnostic(r.body);
        const s = successes(r.body);
        results.push({ status: r.status, ms: r.ms, scrapeError: parseExposition(r.body).get('node_textfile_scrape_error'), loadavg: s.get('loadavg') });
        if (exporter.child.exitCode !== null || exporter.child.signalCode !== null) break;
      }
      const logs = exporter.logs();
      const errorLines = logs.split('\n').filter((l) => /level=error/.test(l));
      t.diagnostic(
        `scrapes: ${JSON.stringify(results)}; exporter exit ${exporter.child.exitCode ?? exporter.child.signalCode ?? 'none (running)'}; errors logged: ${errorLines.slice(0, 2).join(' | ').slice(0, 400)}`,
      );
      assert.equal(exporter.child.exitCode, null, `no exit; log tail:\n${logs.slice(-2000)}`);
      assert.equal(exporter.child.signalCode, null, 'no abort');
      for (const r of results) {
        assert.ok(
          r.status === 503 || (r.status === 200 && r.scrapeError === 1 && r.loadavg === 1),
          `each scrape is a 503, or a 200 with node_textfile_scrape_error 1 and loadavg served: ${JSON.stringify(r)}`,
        );
      }
      assert.ok(
        errorLines.some((l) => /heap/i.test(l)),
        'the log says the heap was the problem',
      );
    } finally {
      await exporter.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
