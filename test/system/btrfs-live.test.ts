/**
 * The btrfs ioctls on a real filesystem: a 200 MB image made with mkfs.btrfs and loop-mounted
 * in a temporary directory. Our collector must report the loop device's error counters (all
 * zero) under the uuids blkid reads from the disk, and the same btrfs series as Debian's
 * node_exporter 1.5.0 (which reads them by ioctl too). Root only; needs btrfs-progs.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { btrfs } from '../../src/collectors/btrfs.js';
import { parseExposition } from '../helpers/exporter.js';
import { nodeExporterMissing, scrapeBoth, seriesKeys } from '../helpers/node-exporter.js';
import { collectSeries, familySeries } from '../helpers/series.js';

const IMAGE_BYTES = 200 * 1024 * 1024;
const ERROR_TYPES = ['corruption', 'flush', 'generation', 'read', 'write'];
const NEWER_THAN_1_5_0 = ['node_btrfs_commit_seconds_total', 'node_btrfs_commits_total', 'node_btrfs_last_commit_seconds', 'node_btrfs_max_commit_seconds'];

/** Why this host cannot run the test, or undefined. */
function blocker(): string | undefined {
  if (process.platform !== 'linux') return 'Linux only';
  if (process.getuid?.() !== 0) return 'needs root (mount -o loop)';
  if (spawnSync('mkfs.btrfs', ['--version']).error !== undefined) return 'mkfs.btrfs is not installed (apt-get install btrfs-progs)';
  if (
    !readFileSync('/proc/filesystems', 'utf8')
      .split('\n')
      .some((l) => l.trim() === 'btrfs')
  ) {
    // The module may just not be loaded yet; mount would load it.
    if (spawnSync('modprobe', ['btrfs']).status !== 0) return 'btrfs is not in /proc/filesystems and modprobe btrfs failed';
  }
  return undefined;
}

/**
 * The collector reads pid 1's mount table, as upstream (our own only when pid 1's is
 * unreadable): a mount made in another mount namespace is not there.
 */
function hiddenFromPid1(dir: string): boolean {
  let table: string;
  try {
    table = readFileSync('/proc/1/mountinfo', 'utf8');
  } catch {
    return false;
  }
  return !table.includes(` ${dir} `);
}

interface LiveFs {
  dir: string;
  loop: string;
  uuid: string;
  devUuid: string;
}

/** Makes and mounts the filesystem; everything is undone when the test ends, even half-made. */
function mountBtrfs(t: TestContext): LiveFs {
  const dir = mkdtempSync(path.join(tmpdir(), 'nts-btrfs-live-'));
  const image = path.join(dir, 'image');
  const mnt = path.join(dir, 'mnt');
  let mounted = false;
  // Never throws: a failed hook would skip the ones after it (the exporters' kills). While an
  // exporter still holds the mount, a lazy unmount detaches it now and frees it when they exit.
  t.after(() => {
    if (mounted && spawnSync('umount', [mnt]).status !== 0) spawnSync('umount', ['-l', mnt]);
    rmSync(dir, { recursive: true, force: true });
  });
  writeFileSync(image, '');
  truncateSync(image, IMAGE_BYTES);
  mkdirSync(mnt);
  execFileSync('mkfs.btrfs', ['-q', '-L', 'nts-live', image], { stdio: 'ignore' });
  execFileSync('mount', ['-o', 'loop', image, mnt]);
  mounted = true;
  const loop = execFileSync('findmnt', ['-n', '-o', 'SOURCE', mnt], { encoding: 'utf8' }).trim();
  const blkid = (tag: string) => execFileSync('blkid', ['-p', '-s', tag, '-o', 'value', loop], { encoding: 'utf8' }).trim();
  return { dir: mnt, loop, uuid: blkid('UUID'), devUuid: blkid('UUID_SUB') };
}

test('btrfs on a loop device: ioctl error counters at 0, uuids as blkid reads them', { timeout: 60_000 }, async (t) => {
  const why = blocker();
  if (why !== undefined) return t.skip(why);
  const fs = mountBtrfs(t);
  if (hiddenFromPid1(fs.dir)) return t.skip('pid 1 is in another mount namespace');
  assert.match(fs.loop, /^\/dev\/loop\d+$/);
  const show = execFileSync('btrfs', ['filesystem', 'show', fs.dir], { encoding: 'utf8' });
  assert.ok(show.includes(`uuid: ${fs.uuid}`), show);

  const m = await collectSeries(btrfs);
  const labels = `btrfs_dev_uuid="${fs.devUuid}",device="${path.basename(fs.loop)}"`;
  for (const type of ERROR_TYPES) {
    assert.equal(
      m.get(`node_btrfs_device_errors_total{${labels},type="${type}",uuid="${fs.uuid}"}`),
      0,
      `${type}: ${[...familySeries(m, 'node_btrfs_device_errors_total').keys()].join('\n')}`,
    );
  }
  assert.equal(m.get(`node_btrfs_device_size_bytes{${labels},uuid="${fs.uuid}"}`), IMAGE_BYTES);
  const unused = m.get(`node_btrfs_device_unused_bytes{${labels},uuid="${fs.uuid}"}`) ?? -1;
  assert.ok(unused > 0 && unused < IMAGE_BYTES, `unused ${unused}`);
  assert.equal(m.get(`node_btrfs_info{label="nts-live",uuid="${fs.uuid}"}`), 1);
});

test('btrfs on a loop device: same series and device values as node_exporter 1.5.0', { timeout: 60_000 }, async (t) => {
  const why = blocker() ?? nodeExporterMissing();
  if (why !== undefined) return t.skip(why);
  const fs = mountBtrfs(t);
  if (hiddenFromPid1(fs.dir)) return t.skip('pid 1 is in another mount namespace');
  const { theirs, ours, ourLogs } = await scrapeBoth(t, ['btrfs']);
  assert.ok(ours.includes('node_scrape_collector_success{collector="btrfs"} 1\n'), ourLogs);
  const families = /^node_btrfs_\w+\{/;
  const [a, b] = [seriesKeys(theirs, families), seriesKeys(ours, families)];
  assert.ok(
    a.some((k) => k.startsWith('node_btrfs_device_errors_total{') && k.includes(fs.devUuid)),
    `1.5.0 has no ioctl series here:\n${a.join('\n')}`,
  );
  // The commit statistics came after 1.5.0; every other family must match series for series.
  const name = (k: string) => k.slice(0, k.indexOf('{'));
  const theirFamilies = new Set(a.map(name));
  assert.deepEqual([...new Set(b.map(name))].filter((n) => !theirFamilies.has(n)).sort(), NEWER_THAN_1_5_0);
  assert.deepEqual(
    b.filter((k) => theirFamilies.has(name(k))),
    a,
  );
  // Device figures do not move on an idle filesystem; commit counters might, so only these.
  const device = (text: string) =>
    [...parseExposition(text)]
      .filter(([k]) => k.startsWith('node_btrfs_device_') && k.includes(fs.uuid))
      .map(([k, v]) => `${seriesKeys(`${k} ${v}\n`, families)[0] ?? k} ${v}`)
      .sort();
  assert.equal(device(theirs).length, 2 + ERROR_TYPES.length, 'size, unused and five counters');
  assert.deepEqual(device(ours), device(theirs));
});
