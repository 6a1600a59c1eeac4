import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { parseExposition, startExporterProcess } from '../helpers/exporter.js';
import { fuseAvailable, makeFuseRoot, mountHungFuses, startStatfsFuse } from '../helpers/fuse.js';

/** Why a root-only system test cannot run here, or undefined when it can. */
function systemTestBlocker(): string | undefined {
  return fuseAvailable();
}

/** The exporter reads pid 1's mount table: our mounts must be in pid 1's mount namespace. */
function visibleToPid1(dir: string): boolean {
  return readFileSync('/proc/1/mountinfo', 'utf8').includes(` ${dir} `);
}

function threadCount(pid: number): number {
  const m = /^Threads:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1]);
}

function statF(dir: string): { frsize: number; bsize: number; blocks: number } {
  const [frsize, bsize, blocks] = execFileSync('stat', ['-f', '-c', '%S %s %b', dir], { encoding: 'utf8' }).trim().split(' ').map(Number);
  return { frsize: frsize ?? NaN, bsize: bsize ?? NaN, blocks: blocks ?? NaN };
}

// Long enough that what the bounds below rule out (a second round of mount timeouts, waiting
// for a stuck mount again) takes seconds longer than a slow scrape on a loaded machine.
const MOUNT_TIMEOUT_S = 5;
/** native/pool.h: idle elastic threads kept (kMaxIdle) plus the bounded pool's threads. */
const POOL_MAX_IDLE = 8 + 4;

test('8 FUSE mounts that never answer: the first scrape is not held, threads stay bounded', { timeout: 120_000 }, async (t) => {
  const blocker = systemTestBlocker();
  if (blocker !== undefined) return t.skip(`needs root with /dev/fuse: ${blocker}`);
  const root = makeFuseRoot('nts-hung-');
  let exporter;
  try {
    const hung = await mountHungFuses(root, 8);
    if (!visibleToPid1(hung[0]?.dir ?? '')) return t.skip('pid 1 is in another mount namespace: it cannot see our FUSE mounts');
    exporter = await startExporterProcess([`--collector.filesystem.mount-timeout=${MOUNT_TIMEOUT_S}s`]);
    const pid = exporter.child.pid ?? 0;

    const t0 = performance.now();
    const first = await (await fetch(`${exporter.base}/metrics`)).text();
    const elapsed = (performance.now() - t0) / 1000;
    assert.ok(elapsed < MOUNT_TIMEOUT_S * 1.5, `first scrape took ${elapsed.toFixed(2)} s (held twice the mount timeout?)`);
    const series = parseExposition(first);
    for (const m of hung) {
      const key = `node_filesystem_device_error{device="ntsfuse",device_error="mountpoint timeout",fstype="fuse",mountpoint="${m.dir}"}`;
      assert.equal(series.get(key), 1, `${key} missing`);
    }
    for (const c of ['loadavg', 'meminfo', 'os', 'time', 'uname']) {
      assert.equal(series.get(`node_scrape_collector_success{collector="${c}"}`), 1, c);
    }
    assert.equal(series.get('node_filesystem_device_error{device="/dev/vda",device_error="",fstype="ext4",mountpoint="/"}') ?? 0, 0);

    const threadsAfterFirst = threadCount(pid);
    for (let i = 0; i < 20; i++) {
      const t1 = performance.now();
      const body = await (await fetch(`${exporter.base}/metrics`)).text();
      // Stuck mounts are reported at once, not waited for again.
      assert.ok(performance.now() - t1 < (MOUNT_TIMEOUT_S * 1000) / 2, `scrape ${i + 2} took ${(performance.now() - t1).toFixed(0)} ms`);
      const s = parseExposition(body);
      assert.equal(s.get('node_scrape_collector_success{collector="meminfo"}'), 1, 'file reads in the exporter still work');
      assert.equal(s.get('node_scrape_collector_success{collector="filesystem"}'), 1);
    }
    const threadsAfter21 = threadCount(pid);
    // The 8 stuck calls park 8 threads for good; healthy statfs calls then warm the addon's
    // idle pool (at most POOL_MAX_IDLE threads kept). Nothing may grow per scrape: 20 scrapes
    // with a thread per stuck mount each would add 160.
    assert.ok(threadsAfter21 <= threadsAfterFirst + POOL_MAX_IDLE, `threads grew from ${threadsAfterFirst} to ${threadsAfter21}`);
    t.diagnostic(`first scrape ${elapsed.toFixed(2)} s; threads after 1 scrape ${threadsAfterFirst}, after 21 ${threadsAfter21}`);

    // Fs reads elsewhere on the machine keep working too.
    assert.match(readFileSync('/proc/loadavg', 'utf8'), /^\d/);

    // Once a hung mount answers (here: its connection is aborted), it is measured again.
    const [healed] = hung;
    if (healed !== undefined) {
      await healed.release();
      await new Promise((r) => setTimeout(r, 200));
      const body = await (await fetch(`${exporter.base}/metrics`)).text();
      assert.doesNotMatch(body, new RegExp(`mountpoint="${healed.dir}"`));
    }
  } finally {
    await exporter?.stop();
    await root.cleanup();
  }
});

test('FUSE with bsize 1 MiB and frsize 4 KiB: sizes count fragments, as df does', { timeout: 60_000 }, async (t) => {
  const blocker = systemTestBlocker();
  if (blocker !== undefined) return t.skip(`needs root with /dev/fuse: ${blocker}`);
  const root = makeFuseRoot('nts-frsize-');
  let exporter;
  try {
    const stats = { bsize: 1 << 20, frsize: 4096, blocks: 1_000_000, bfree: 600_000, bavail: 500_000, files: 70_000, ffree: 60_000, namelen: 255 };
    const fuse = await startStatfsFuse(root.dir('precise'), stats);
    if (!visibleToPid1(fuse.dir)) return t.skip('pid 1 is in another mount namespace: it cannot see our FUSE mount');
    exporter = await startExporterProcess(['--collector.disable-defaults', '--collector.filesystem', `--collector.filesystem.mount-points-include=^${fuse.dir}$`]);
    const s = parseExposition(await (await fetch(`${exporter.base}/metrics`)).text());
    const labels = `{device="ntsfuse",device_error="",fstype="fuse",mountpoint="${fuse.dir}"}`;
    const df = Number(execFileSync('df', ['-B1', '--output=size', fuse.dir], { encoding: 'utf8' }).trim().split('\n')[1]);
    assert.equal(s.get(`node_filesystem_size_bytes${labels}`), stats.blocks * 4096);
    assert.equal(s.get(`node_filesystem_size_bytes${labels}`), df);
    assert.equal(s.get(`node_filesystem_free_bytes${labels}`), stats.bfree * 4096);
    assert.equal(s.get(`node_filesystem_avail_bytes${labels}`), stats.bavail * 4096);
    assert.equal(s.get(`node_filesystem_files${labels}`), stats.files);
    assert.equal(s.get(`node_filesystem_files_free${labels}`), stats.ffree);
  } finally {
    await exporter?.stop();
    await root.cleanup();
  }
});

for (const propagation of ['slave', 'private'] as const) {
  test(`container layout: / rbind-mounted read-only (r${propagation}) as --path.rootfs in its own mount namespace`, { timeout: 60_000 }, async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root: unshare -m and mount --rbind');
    const host = mkdtempSync(path.join(tmpdir(), 'nts-host-'));
    let exporter;
    try {
      // Inside a new mount namespace (a one-way slave of ours, so nothing leaks back): / shared
      // as a container runtime's is, bound at <host> read-only like `-v /:/host:ro,rslave`, or
      // for the warning, made private like `-v /:/host:ro`.
      const script = `mount --make-rshared / && mount --rbind / "$0" && mount -o remount,bind,ro "$0" && mount --make-r${propagation} "$0" && exec "$@"`;
      exporter = await startExporterProcess(
        [`--path.rootfs=${host}`, '--collector.disable-defaults', '--collector.filesystem'],
        ['unshare', '-m', '--propagation', 'slave', 'sh', '-c', script, host],
      );
      const body = await (await fetch(`${exporter.base}/metrics`)).text();
      const s = parseExposition(body);
      assert.doesNotMatch(body, new RegExp(`mountpoint="${host}`), 'the rootfs prefix must be stripped');
      const rootSize = [...s].find(([k]) => k.startsWith('node_filesystem_size_bytes{') && k.includes('mountpoint="/"}'));
      assert.ok(rootSize !== undefined, 'node_filesystem_size_bytes for "/" missing');
      const want = statF('/');
      assert.equal(rootSize[1], want.blocks * want.frsize);
      await new Promise((r) => setTimeout(r, 100));
      if (propagation === 'slave') assert.doesNotMatch(exporter.logs(), /private mount/);
      else assert.match(exporter.logs(), /level=warn msg=".*is on a private mount.*host filesystems mounted after start will not be seen/);
    } finally {
      await exporter?.stop();
      rmdirSync(host);
    }
  });
}
