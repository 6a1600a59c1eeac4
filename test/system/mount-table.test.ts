import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../src/logger.js';
import { Paths } from '../../src/paths.js';
import { MountTableReader } from '../../src/read/mounts.js';
import { startExporterProcess } from '../helpers/exporter.js';
import { MountNamespace, mountNamespaceBlocker } from '../helpers/mount-namespace.js';

test('the mount table is read again exactly when the kernel flags a change (POLLPRI on mountinfo), concurrent readers included', { timeout: 60_000 }, async (t) => {
  const why = mountNamespaceBlocker();
  if (why !== undefined) return t.skip(why);
  const ns = await MountNamespace.create('nts-mtwatch-');
  // The reader looks at <procfs>/1/mountinfo: here the namespace holder's table.
  const procfs = mkdtempSync(path.join(tmpdir(), 'nts-mtwatch-proc-'));
  try {
    symlinkSync(`/proc/${ns.pid}`, path.join(procfs, '1'));
    const reader = new MountTableReader(new Paths({ procfs }), silentLogger);
    const first = await reader.read();
    assert.equal(first.unchanged, false);
    assert.ok(first.text.includes(` ${ns.base} `));
    assert.equal((await reader.read()).unchanged, true, 'nothing mounted since');
    assert.equal((await reader.read()).unchanged, true);
    const dir = `${ns.base}/new`;
    await ns.mount([dir]);
    const after = await reader.read();
    assert.equal(after.unchanged, false, 'a mount is flagged');
    assert.ok(after.text.includes(` ${dir} `));
    assert.equal((await reader.read()).unchanged, true);
    await ns.umount([dir]);
    const gone = await reader.read();
    assert.equal(gone.unchanged, false, 'an unmount is flagged');
    assert.ok(!gone.text.includes(` ${dir} `));
    // Concurrent scrapes after a change: the kernel flags it to one poll only, and every one of
    // them must still get the new table (they take turns; one reads, the others find it read).
    for (let round = 0; round < 20; round++) {
      const next = `${ns.base}/c${round}`;
      await ns.mount([next]);
      const tables = await Promise.all([reader.read(), reader.read(), reader.read()]);
      tables.forEach((tb, k) => assert.ok(tb.text.includes(` ${next} `), `round ${round}: concurrent read ${k} has the new mount`));
      assert.equal(tables.filter((tb) => !tb.unchanged).length, 1, 'read once');
    }
  } finally {
    rmSync(procfs, { recursive: true, force: true });
    await ns.close();
  }
});

/**
 * Mount churn at Kubernetes scale (bench/mounts.ts runs it for 1,000 scrapes): 1,000 tmpfs
 * mounts, and before every scrape 100 of them unmounted and 100 new ones mounted, in a private
 * mount namespace the exporter lives in.
 */
const BASE = 1000;
const CHURN = 100;
const SCRAPES = Number(process.env.NTS_CHURN_SCRAPES ?? 300);

function rssKiB(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

test(`mount churn: ${CHURN} of ${BASE} mounts replaced before each of ${SCRAPES} scrapes; removed ones vanish, new ones appear, RSS flat`, { timeout: 300_000 }, async (t) => {
  const why = mountNamespaceBlocker();
  if (why !== undefined) return t.skip(why);
  const ns = await MountNamespace.create('nts-mtchurn-');
  let exporter;
  try {
    const dirs = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${ns.base}/${tag}${i}`);
    const base = dirs('m', BASE);
    await ns.mount(base);
    exporter = await startExporterProcess(
      [`--path.procfs=${ns.procfs}`, '--collector.disable-defaults', '--collector.filesystem', `--collector.filesystem.mount-points-include=^${ns.base}/`],
      ns.enter,
    );
    const pid = exporter.child.pid ?? 0;
    const size = (body: string, dir: string) =>
      new RegExp(`^node_filesystem_size_bytes\\{device="ntsbench",device_error="",fstype="tmpfs",mountpoint="${dir}"\\} 65536$`, 'm').test(body);
    let prev: string[] = [];
    const rss: number[] = [];
    const heap: number[] = [];
    for (let i = 0; i < SCRAPES; i++) {
      const next = dirs(`c${i}x`, CHURN);
      await ns.run([...prev.map((d) => `umount ${d}`), ...next.map((d) => `mount ${d}`)]);
      const body = await (await fetch(`${exporter.base}/metrics`)).text();
      for (const d of next) assert.ok(size(body, d), `scrape ${i}: new mount ${d} missing`);
      for (const d of prev) assert.ok(!body.includes(`mountpoint="${d}"`), `scrape ${i}: removed mount ${d} still served`);
      if (i % 50 === 0) for (const d of base) assert.ok(size(body, d), `scrape ${i}: ${d} missing`);
      prev = next;
      rss.push(rssKiB(pid) / 1024);
      heap.push(Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(body)?.[1]) / 2 ** 20);
    }
    // Flat after warm-up, last third of the scrapes against the middle third: V8 heap used by
    // its floor (a sawtooth whose low points are what survives a GC), RSS by its median (single
    // readings swing by tens of MiB as V8 grows and shrinks its heap, now and then).
    const third = Math.floor(SCRAPES / 3);
    const low = (xs: number[], from: number) => Math.min(...xs.slice(from, from + third));
    const median = (xs: number[], from: number) => {
      const v = xs.slice(from, from + third).sort((x, y) => x - y);
      return ((v[Math.floor((v.length - 1) / 2)] ?? 0) + (v[Math.ceil((v.length - 1) / 2)] ?? 0)) / 2;
    };
    t.diagnostic(`median RSS / lowest V8 heap used (MiB) per third: ${[0, third, 2 * third].map((f) => `${median(rss, f).toFixed(0)} / ${low(heap, f).toFixed(1)}`).join(', ')}`);
    assert.ok(low(heap, 2 * third) - low(heap, third) < 8, 'V8 heap grew');
    assert.ok(median(rss, 2 * third) - median(rss, third) < 24, 'RSS grew');
  } finally {
    await exporter?.stop();
    await ns.close();
  }
});
