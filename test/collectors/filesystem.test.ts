import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monotonicMs } from '../../src/clock.js';
import { test } from 'node:test';
import type { MetricFamily } from '../helpers/series.js';
import { filesystemDefinition, rootfsPropagationWarning } from '../../src/collectors/filesystem.js';
import { createLogger, silentLogger } from '../../src/logger.js';
import type { Statfs } from '../../src/native.js';
import { Paths } from '../../src/paths.js';
import { parseMountInfo } from '../../src/procfs/mountinfo.js';
import { fixturePath } from '../helpers/repo.js';
import { collectWith } from '../helpers/series.js';

const OPTIONS = new Map<string, string>([
  ['collector.filesystem.mount-points-exclude', '^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)'],
  [
    'collector.filesystem.fs-types-exclude',
    '^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs)$',
  ],
  ['collector.filesystem.mount-timeout', '200ms'],
  ['collector.filesystem.stat-workers', '4'],
]);

/** bsize 1 MiB, frsize 4 KiB: what a precise collector must multiply by is frsize. */
const STAT: Statfs = { type: 0x65735546, bsize: 1 << 20, frsize: 4096, blocks: 1000, bfree: 600, bavail: 500, files: 70, ffree: 60, flags: 0, namelen: 255 };

async function collect(procfs: string, statfs: (p: string) => Promise<Statfs>, rootfs = '/'): Promise<Map<string, number>> {
  const def = filesystemDefinition({ statfs });
  const collector = def.create({ paths: new Paths({ procfs, rootfs }), logger: silentLogger, options: OPTIONS, explicit: new Set() });
  const families: MetricFamily[] = await collectWith(collector, { signal: new AbortController().signal, deadline: monotonicMs() + 5000 });
  const out = new Map<string, number>();
  for (const f of families) {
    for (const s of f.samples) {
      const labels = Object.entries(s.labels)
        .sort()
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',');
      const key = `${f.name}{${labels}}`;
      assert.ok(!out.has(key), `duplicate series ${key}`);
      out.set(key, s.value);
    }
  }
  return out;
}

const series = (m: Map<string, number>, prefix: string) => [...m.keys()].filter((k) => k.startsWith(prefix));

test('sizes are blocks × f_frsize, not f_bsize', async () => {
  const m = await collect(fixturePath('proc'), async () => STAT);
  const root = 'device="/dev/vda1",device_error="",fstype="ext4",mountpoint="/"';
  assert.equal(m.get(`node_filesystem_size_bytes{${root}}`), 1000 * 4096);
  assert.equal(m.get(`node_filesystem_free_bytes{${root}}`), 600 * 4096);
  assert.equal(m.get(`node_filesystem_avail_bytes{${root}}`), 500 * 4096);
  assert.equal(m.get(`node_filesystem_files{${root}}`), 70);
  assert.equal(m.get(`node_filesystem_files_free{${root}}`), 60);
  assert.equal(m.get('node_filesystem_mount_info{device="/dev/vda1",major="254",minor="1",mountpoint="/"}'), 1);
});

test('duplicate mounts give one series per label set', async () => {
  const m = await collect(fixturePath('proc'), async () => STAT);
  // Self bind mount of /srv/data, and a multihomed NFS server mounted twice on /mnt/nfs.
  assert.equal(series(m, 'node_filesystem_size_bytes{device="/dev/sdc1"').length, 1);
  assert.equal(series(m, 'node_filesystem_size_bytes{device="nas.example:/export"').length, 1);
  // One device at two mount points: two series.
  assert.deepEqual(
    series(m, 'node_filesystem_size_bytes{device="/dev/sdb1"').map((k) => /mountpoint="([^"]*)"/.exec(k)?.[1]),
    ['/data', '/var/lib/data'],
  );
});

test('default excludes, escapes and read-only rules', async () => {
  const m = await collect(fixturePath('proc'), async () => STAT);
  const mountpoints = new Set(series(m, 'node_filesystem_readonly').map((k) => JSON.parse(/mountpoint=("(?:[^"\\]|\\.)*")/.exec(k)?.[1] ?? '""') as string));
  for (const gone of ['/dev', '/proc', '/sys', '/sys/fs/cgroup', '/dev/shm', '/snap/core22/1380']) assert.ok(!mountpoints.has(gone), gone);
  for (const kept of ['/', '/boot', '/run', '/run/lock', '/mnt/my disk', '/mnt/tab\there', '/mnt/back\\slash']) assert.ok(mountpoints.has(kept), kept);
  const ro = (mp: string) => [...m].find(([k]) => k.startsWith('node_filesystem_readonly') && k.includes(`mountpoint=${JSON.stringify(mp)}`))?.[1];
  assert.equal(ro('/mnt/archive'), 1, 'ro in mount options');
  assert.equal(ro('/mnt/backup'), 1, 'emergency_ro in super options');
  assert.equal(ro('/'), 0, 'errors=remount-ro is not read-only');
});

test('statfs errors and timeouts become the device_error label, not a failure', async () => {
  const statfs = (p: string): Promise<Statfs> => {
    if (p === '/boot') return Promise.reject(new Error('Permission denied'));
    if (p === '/mnt/nfs') return new Promise(() => {}); // never answers
    return Promise.resolve(STAT);
  };
  const t0 = monotonicMs();
  const m = await collect(fixturePath('proc'), statfs);
  assert.ok(monotonicMs() - t0 < 1000);
  assert.equal(m.get('node_filesystem_device_error{device="/dev/vda2",device_error="permission denied",fstype="ext4",mountpoint="/boot"}'), 1);
  assert.equal(m.get('node_filesystem_device_error{device="nas.example:/export",device_error="mountpoint timeout",fstype="nfs4",mountpoint="/mnt/nfs"}'), 1);
  assert.equal(series(m, 'node_filesystem_size_bytes{device="/dev/vda2"').length, 0);
  assert.equal(series(m, 'node_filesystem_mount_info{device="nas.example:/export"').length, 0);
});

test('hidepid: falls back to self/mountinfo when pid 1 is hidden', async () => {
  const procfs = mkdtempSync(path.join(tmpdir(), 'nts-hidepid-'));
  try {
    cpSync(fixturePath('proc', 'self'), path.join(procfs, 'self'), { recursive: true });
    const m = await collect(procfs, async () => STAT);
    assert.ok(series(m, 'node_filesystem_size_bytes').length > 0);
    // The container's own view: its bind-mounted files and /srv, no host /boot.
    const mps = series(m, 'node_filesystem_size_bytes').map((k) => /mountpoint="([^"]*)"/.exec(k)?.[1]);
    assert.deepEqual(mps.sort(), ['/etc/hostname', '/etc/hosts', '/etc/resolv.conf', '/srv']);
  } finally {
    rmSync(procfs, { recursive: true });
  }
});

test('bind-mounted rootfs: statfs is called on <rootfs>/<mountpoint>, labels without the prefix', async () => {
  const called: string[] = [];
  const m = await collect(
    fixturePath('bindmount', 'proc'),
    async (p) => {
      called.push(p);
      return STAT;
    },
    '/host',
  );
  assert.deepEqual(
    new Set(series(m, 'node_filesystem_size_bytes').map((k) => /mountpoint="([^"]*)"/.exec(k)?.[1])),
    new Set(['/', '/media/volume1', '/media/volume2', '/run/lock']),
  );
  assert.ok(called.includes('/host/media/volume1') && called.includes('/host'));
});

test('rootfs propagation warning', () => {
  const table = (line: string) => parseMountInfo(line);
  const slave = table('100 1 0:1 / /host ro,relatime master:1 - ext4 /dev/vda1 rw\n');
  const priv = table('100 1 0:1 / /host ro,relatime - ext4 /dev/vda1 rw\n');
  const parentOnly = table('90 1 0:1 / / rw - overlay overlay rw\n');
  assert.equal(rootfsPropagationWarning(slave, '/host'), undefined);
  assert.match(rootfsPropagationWarning(priv, '/host') ?? '', /private mount .*rslave/);
  assert.equal(rootfsPropagationWarning(priv, '/'), undefined, 'no rootfs, nothing to say');
  assert.match(rootfsPropagationWarning(parentOnly, '/host') ?? '', /private mount \(\/\)/, 'a plain directory on a private /');
});

test('conflicting filter flags are a config error', () => {
  const options = new Map(OPTIONS);
  options.set('collector.filesystem.mount-points-include', '^/data');
  const create = (explicit: string[]) =>
    filesystemDefinition({ statfs: async () => STAT }).create({ paths: new Paths(), logger: createLogger('error', 'logfmt', () => {}), options, explicit: new Set(explicit) });
  assert.throws(() => create(['collector.filesystem.mount-points-include', 'collector.filesystem.mount-points-exclude']), /mutually exclusive/);
  assert.doesNotThrow(() => create(['collector.filesystem.mount-points-include']));
});

test('the mount table across scrapes: parsed again only when it changed; gone mounts vanish, new ones appear, bad lines still fail', async () => {
  const procfs = mkdtempSync(path.join(tmpdir(), 'nts-mounttable-'));
  try {
    const line = (id: number, mp: string, fs = 'ext4', opts = 'rw') => `${id} 1 8:${id} / ${mp} ${opts},relatime shared:1 - ${fs} /dev/sd${id} rw`;
    const table = (...lines: string[]) => writeFileSync(path.join(procfs, '1', 'mountinfo'), `${lines.join('\n')}\n`);
    mkdirSync(path.join(procfs, '1'));
    const statted: string[] = [];
    const collector = filesystemDefinition({
      statfs: async (p) => {
        statted.push(p);
        return STAT;
      },
    }).create({ paths: new Paths({ procfs }), logger: silentLogger, options: OPTIONS, explicit: new Set() });
    const scrape = async () => {
      const families = await collectWith(collector, { signal: new AbortController().signal, deadline: monotonicMs() + 5000 });
      const f = families.find((x) => x.name === 'node_filesystem_readonly');
      return new Map(f?.samples.map((s) => [s.labels.mountpoint, s.value]));
    };
    table(line(1, '/'), line(2, '/a'), line(3, '/proc', 'proc'), line(4, '/b', 'ext4', 'ro'));
    const want = new Map([
      ['/', 0],
      ['/a', 0],
      ['/b', 1],
    ]);
    assert.deepEqual(await scrape(), want);
    assert.deepEqual(await scrape(), want, 'unchanged');
    // /a goes, /c comes, /b is remounted read-write (a new line for the same mount point).
    table(line(1, '/'), line(3, '/proc', 'proc'), line(4, '/b'), line(5, '/c'));
    assert.deepEqual(
      await scrape(),
      new Map([
        ['/', 0],
        ['/b', 0],
        ['/c', 0],
      ]),
    );
    assert.ok(!statted.slice(-3).includes('/a'), 'a gone mount is not statted');
    // Blank lines are skipped; a malformed line fails the scrape naming the file and its line.
    table(line(1, '/'), '', line(5, '/c'));
    assert.deepEqual(
      await scrape(),
      new Map([
        ['/', 0],
        ['/c', 0],
      ]),
    );
    table(line(1, '/'), '', 'garbage here');
    await assert.rejects(scrape(), (err: Error) => err.message.startsWith(`${path.join(procfs, '1', 'mountinfo')}:3: `));
    table(line(1, '/'));
    assert.deepEqual(await scrape(), new Map([['/', 0]]), 'back to normal after the bad table');
  } finally {
    rmSync(procfs, { recursive: true });
  }
});
