/**
 * Client faults against the real exporter, on loopback: 10,000 scrapes whose client hangs up
 * before the answer or in the middle of the body (half of them asking for gzip), and slow
 * readers taking one byte a second with a 4 KiB receive buffer, so the exporter is held up
 * writing. Meanwhile a normal scraper must get whole answers, and afterwards the exporter's
 * open fds, sockets, threads and memory must be back where they were. Figures go out with t.diagnostic.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { processFigures } from '../helpers/churn-host.js';
import { startExporterProcess, type ExporterProcess } from '../helpers/exporter.js';
import { fixturePath } from '../helpers/repo.js';

const DISCONNECTS = 10_000;
const PARALLEL = 8;
const SLOW_READERS = 20;

/** The exporter's sockets once the count has stopped falling (same for 200 ms, at most 3 s). */
async function settledSockets(pid: number): Promise<number> {
  let n = sockets(pid);
  for (let same = 0, i = 0; same < 4 && i < 60; i++) {
    await sleep(50);
    const now = sockets(pid);
    same = now === n ? same + 1 : 0;
    n = now;
  }
  return n;
}

/** Sockets among the exporter's fds. */
function sockets(pid: number): number {
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) n++;
    } catch {
      // closed while we looked
    }
  }
  return n;
}

function textfileDir(series: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nts-client-faults-'));
  const lines = ['# HELP client_fault_series Padding for the client-fault test.', '# TYPE client_fault_series gauge'];
  for (let i = 0; i < series; i++) lines.push(`client_fault_series{index="${i}",pad="abcdefghijklmnopqrstuvwxyz0123456789"} ${i}`);
  writeFileSync(path.join(dir, 'pad.prom'), `${lines.join('\n')}\n`);
  return dir;
}

/** Hang up within 5 ms of sending the request (mostly while the exporter collects), or on the first bytes of the answer (headers and the start of the body: the rest is never read). */
type Cut = 'before answer' | 'mid-body';
const CUTS: readonly Cut[] = ['before answer', 'mid-body', 'mid-body'];

/** One scrape that hangs up at `cut`; resolves with the bytes it got. */
function abandonedScrape(port: number, gzip: boolean, cut: Cut): Promise<number> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    let got = 0;
    const done = () => {
      s.destroy();
      resolve(got);
    };
    s.on('error', done);
    s.on('close', done);
    s.once('connect', () => {
      s.write(`GET /metrics HTTP/1.1\r\nHost: x\r\n${gzip ? 'Accept-Encoding: gzip\r\n' : ''}\r\n`);
      if (cut === 'before answer') setTimeout(done, Math.random() * 5);
    });
    let head = '';
    s.on('data', (d: Buffer) => {
      got += d.length;
      head += d.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      // mid-body: the first body bytes are in, the rest is not read.
      if (end >= 0 && got > end + 4) done();
    });
  });
}

/** A full scrape on its own connection: status, body size and whether the body ended as a whole exposition does. */
interface GoodScrape {
  status: number;
  ms: number;
  whole: boolean;
  /** The exporter's V8 heap total and external (Buffer) memory, bytes, from its own metrics. */
  heapTotal: number;
  external: number;
}

async function goodScrape(base: string): Promise<GoodScrape> {
  const begin = performance.now();
  const res = await fetch(`${base}/metrics`, { headers: { Connection: 'close' } });
  const body = await res.text();
  const figure = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(body)?.[1] ?? Number.NaN);
  return {
    status: res.status,
    ms: performance.now() - begin,
    whole: body.includes('node_exporter_build_info{') && body.endsWith('\n'),
    heapTotal: figure('nodejs_heap_size_total_bytes'),
    external: figure('nodejs_external_memory_bytes'),
  };
}

async function withExporter<T>(args: readonly string[], f: (e: ExporterProcess, pid: number, port: number) => Promise<T>): Promise<T> {
  const e = await startExporterProcess(args);
  try {
    return await f(e, e.child.pid ?? 0, Number(new URL(e.base).port));
  } finally {
    await e.stop();
  }
}

test(`${DISCONNECTS} scrapes abandoned before the answer or mid-body (half gzip): no fd, socket or memory growth; a normal scraper served whole`, {
  timeout: 900_000,
}, async (t: TestContext) => {
  const dir = textfileDir(1000);
  try {
    await withExporter(
      [
        `--path.procfs=${fixturePath('proc')}`,
        `--path.sysfs=${fixturePath('sys')}`,
        '--collector.disable-defaults',
        '--collector.textfile',
        `--collector.textfile.directory=${dir}`,
        '--collector.meminfo',
      ],
      async (exporter, pid, port) => {
        // Warm up as many at once as the test will run: the addon keeps the threads a burst needed.
        for (let i = 0; i < 5; i++) for (const g of await Promise.all(Array.from({ length: PARALLEL }, () => goodScrape(exporter.base)))) assert.equal(g.status, 200);
        const before = { ...processFigures(pid), sockets: sockets(pid) };
        const good: GoodScrape[] = [];
        let stop = false;
        const watcher = (async () => {
          while (!stop) {
            good.push(await goodScrape(exporter.base));
            await sleep(200);
          }
        })();
        const started = performance.now();
        const byCut = new Map<string, { n: number; bytes: number }>();
        let next = 0;
        const samples: { done: number; rssKiB: number; fds: number; threads: number }[] = [];
        await Promise.all(
          Array.from({ length: PARALLEL }, async () => {
            for (let i = next++; i < DISCONNECTS; i = next++) {
              const gzip = i % 2 === 0;
              const cut = CUTS[Math.floor(i / 2) % CUTS.length] as Cut;
              const got = await abandonedScrape(port, gzip, cut);
              const key = `${cut}${gzip ? ', gzip' : ''}`;
              const c = byCut.get(key) ?? { n: 0, bytes: 0 };
              c.n++;
              c.bytes += got;
              byCut.set(key, c);
              if (i % 1000 === 999) samples.push({ done: i + 1, ...processFigures(pid) });
            }
          }),
        );
        const seconds = (performance.now() - started) / 1000;
        stop = true;
        await watcher;
        // Let the exporter notice the last hang-ups and finish the scrapes they abandoned.
        let after = { ...processFigures(pid), sockets: sockets(pid) };
        for (let i = 0; i < 50 && (after.fds > before.fds || after.sockets > before.sockets); i++) {
          await sleep(100);
          after = { ...processFigures(pid), sockets: sockets(pid) };
        }
        t.diagnostic(
          `${DISCONNECTS} abandoned scrapes in ${seconds.toFixed(0)} s (${PARALLEL} at a time); average bytes received before hanging up: ${[...byCut].map(([k, v]) => `${k} ${(v.bytes / v.n).toFixed(0)}`).join('; ')}`,
        );
        t.diagnostic(
          `every 1,000: RSS MiB ${samples.map((s) => (s.rssKiB / 1024).toFixed(0)).join(' ')}; fds ${samples.map((s) => s.fds).join(' ')}; threads ${samples.map((s) => s.threads).join(' ')}`,
        );
        t.diagnostic(
          `exporter before → after: RSS ${(before.rssKiB / 1024).toFixed(1)} → ${(after.rssKiB / 1024).toFixed(1)} MiB, fds ${before.fds} → ${after.fds}, sockets ${before.sockets} → ${after.sockets}, threads ${before.threads} → ${after.threads}`,
        );
        const ms = good.map((g) => g.ms).sort((a, b) => a - b);
        t.diagnostic(
          `normal scraper alongside: ${good.length} scrapes, ${good.filter((g) => g.status === 200 && g.whole).length} whole, latency median ${ms[Math.floor(ms.length / 2)]?.toFixed(0)} ms, max ${ms[ms.length - 1]?.toFixed(0)} ms`,
        );
        assert.ok(good.length > 0);
        assert.ok(
          good.every((g) => g.status === 200 && g.whole),
          'every normal scrape was answered 200 with a whole body',
        );
        assert.ok(after.fds <= before.fds, `open fds ${before.fds} → ${after.fds}`);
        assert.ok(after.sockets <= before.sockets, `sockets ${before.sockets} → ${after.sockets}`);
        // Pools (the addon's, libuv's, V8's) start threads on demand and keep some idle: a few more
        // after a burst is normal (19 → 23 in one CI run, flat from the second 1,000 on); a thread
        // per abandoned scrape is what this catches.
        assert.ok(after.threads <= before.threads + 8, `threads ${before.threads} → ${after.threads}`);
        // Flat, not merely bounded: the last samples against the middle ones. What JavaScript
        // holds (V8's heap total) and what Buffers hold (external memory), from the normal
        // scraper's view of the exporter's own metrics, by their peaks: a leak per abandoned
        // scrape (an object, a Buffer, a response kept) keeps climbing there. Heap total moves in
        // steps as V8 resizes it (Node 24: 80.9 -> 102.4 MiB in one CI run, 98.7 -> 78.9 in another).
        const third = Math.floor(good.length / 3);
        const peakOf = (xs: GoodScrape[], f: (g: GoodScrape) => number) => Math.max(...xs.map(f));
        const [midGood, lastGood] = [good.slice(third, 2 * third), good.slice(2 * third)];
        const mib = (b: number) => (b / 2 ** 20).toFixed(1);
        t.diagnostic(
          `V8 heap total / external memory, peak over the middle and last thirds: ${mib(peakOf(midGood, (g) => g.heapTotal))} / ${mib(peakOf(midGood, (g) => g.external))} -> ${mib(peakOf(lastGood, (g) => g.heapTotal))} / ${mib(peakOf(lastGood, (g) => g.external))} MiB`,
        );
        assert.ok(peakOf(lastGood, (g) => g.heapTotal) - peakOf(midGood, (g) => g.heapTotal) < 32 * 2 ** 20, 'V8 heap total grew');
        assert.ok(peakOf(lastGood, (g) => g.external) - peakOf(midGood, (g) => g.external) < 16 * 2 ** 20, 'external (Buffer) memory grew');
        // RSS as a bound only: outside V8's heap it moves in steps. On Node 24 it stepped up, late,
        // by 12-37 MiB in four runs (185 -> 205 MiB here with heap total flat at 70-77 MiB and
        // external memory at 5-11 MiB: the C allocator's, not ours), then stayed flat.
        const mid = Math.max(...samples.slice(2, 6).map((s) => s.rssKiB));
        const last = Math.max(...samples.slice(6).map((s) => s.rssKiB));
        assert.ok(last - mid < 64 * 1024, `RSS peak grew from ${mid} KiB (1,000s 3-6) to ${last} KiB (last 4,000)`);
        const logs = exporter.logs();
        assert.doesNotMatch(logs, /level=error.*(uncaught|unhandled)/i);
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A reader taking one byte a second (python: a 4 KiB receive buffer, so the exporter is really held up). */
const SLOW_READER = `
import socket, sys, time
port, gzip, seconds = int(sys.argv[1]), sys.argv[2] == '1', float(sys.argv[3])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(('127.0.0.1', port))
s.sendall(b'GET /metrics HTTP/1.1\\r\\nHost: x\\r\\n' + (b'Accept-Encoding: gzip\\r\\n' if gzip else b'') + b'\\r\\n')
got = b''
end = time.time() + seconds
while time.time() < end:
    b = s.recv(1)
    if not b:
        break
    got += b
    time.sleep(1)
print(len(got), got.split(b'\\r\\n')[0].decode(), flush=True)
`;

test(`${SLOW_READERS} readers taking one byte a second (half gzip) of a 450 KB body: other scrapes served, memory bounded by their bodies, sockets and fds released when they go`, {
  timeout: 120_000,
}, async (t: TestContext) => {
  const dir = textfileDir(6_000);
  try {
    await withExporter(['--collector.disable-defaults', '--collector.textfile', `--collector.textfile.directory=${dir}`], async (exporter, pid, port) => {
      for (let i = 0; i < 3; i++) assert.equal((await goodScrape(exporter.base)).status, 200);
      // The last scrape's connection may still be closing on the exporter's side: count from
      // once the sockets have settled (a Node 24 CI run counted it, 4 instead of 3).
      const before = { ...processFigures(pid), sockets: await settledSockets(pid) };
      const readers = Array.from({ length: SLOW_READERS }, (_, i) => {
        const p = spawn('python3', ['-c', SLOW_READER, String(port), i % 2 === 0 ? '1' : '0', '10'], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        return new Promise<string>((resolve) => p.on('exit', () => resolve(out.trim())));
      });
      // Until every reader is connected and its answer started (python starts slowly on a busy machine).
      let during = { ...processFigures(pid), sockets: sockets(pid) };
      for (let i = 0; i < 100 && during.sockets < before.sockets + SLOW_READERS; i++) {
        await sleep(100);
        during = { ...processFigures(pid), sockets: sockets(pid) };
      }
      const served: number[] = [];
      for (let i = 0; i < 5; i++) {
        const g = await goodScrape(exporter.base);
        assert.equal(g.status, 200);
        assert.ok(g.whole, 'whole body');
        served.push(g.ms);
      }
      const results = await Promise.all(readers);
      let after = { ...processFigures(pid), sockets: sockets(pid) };
      for (let i = 0; i < 50 && after.sockets > before.sockets; i++) {
        await sleep(100);
        after = { ...processFigures(pid), sockets: sockets(pid) };
      }
      t.diagnostic(`slow readers got (bytes, status line): ${[...new Set(results)].join(' | ')}`);
      t.diagnostic(`other scrapes while they read: ${served.map((m) => m.toFixed(0)).join(', ')} ms`);
      t.diagnostic(
        `exporter RSS MiB before ${(before.rssKiB / 1024).toFixed(1)}, with ${SLOW_READERS} slow readers ${(during.rssKiB / 1024).toFixed(1)}, after ${(after.rssKiB / 1024).toFixed(1)}; sockets ${before.sockets} → ${during.sockets} → ${after.sockets}; fds ${before.fds} → ${during.fds} → ${after.fds}`,
      );
      assert.ok(
        results.every((r) => {
          const [n, line = ''] = r.split(/ (.*)/);
          return line.length > 0 && 'HTTP/1.1 200 OK'.startsWith(line) && Number(n) <= 12;
        }),
        'each slow reader got the start of its 200, one byte a second',
      );
      assert.ok(during.sockets >= before.sockets + SLOW_READERS, 'the slow readers were connected while the others scraped');
      assert.ok(Math.max(...served) < 5_000, 'the other scrapes were not held up by the slow readers');
      assert.ok(after.sockets <= before.sockets, `sockets released: ${before.sockets} → ${after.sockets}`);
      assert.ok(after.fds <= before.fds, `fds released: ${before.fds} → ${after.fds}`);
      // Each held response is one body in memory at most (450 KB text, less gzipped), and its
      // scrape's garbage (parsing 6,000 textfile series, a few MiB) until V8 next collects: 20 of
      // them, not more. Measured 42-96 MiB on Node 20 and 150 MiB on Node 24 (larger young
      // generation, GC later); a body kept per byte sent would be gigabytes.
      assert.ok(during.rssKiB - before.rssKiB < SLOW_READERS * 8 * 1024 + 64 * 1024, 'memory held by slow readers is bounded by their bodies');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
