import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBtrfsIoctlStats } from '../../src/btrfs/device-stats.js';
import { BTRFS_IOC_FS_INFO } from '../../src/btrfs/ioctl.js';
import { createLogger } from '../../src/logger.js';
import { Paths } from '../../src/paths.js';
import { errno, fakeHost, mount, type FakeFs, type FakeHostState } from '../helpers/btrfs-host.js';

const FSID_A = 'e9df563d81a741fb967fff2dc645dd05';
const FSID_B = '0123456789abcdef0123456789abcdef';

const fsA: FakeFs = {
  fsid: FSID_A,
  devices: [
    // Ids 0 and 2 are unused (the second device was removed and replaced by id 3).
    { devid: 1, uuid: 'b5eeb93a0e114ca68b019e91a8e989c5', used: 92274688n, total: 209715200n, path: '/dev/sdb1', stats: { read: 3n, corruption: 2n ** 60n } },
    { devid: 3, uuid: '11111111222233334444555555555555', used: 0n, total: 10n, path: '/dev/mapper/crypt1' },
  ],
};

function run(state: Omit<FakeHostState, 'calls'>, paths = new Paths()) {
  const full: FakeHostState = { ...state, calls: [] };
  const lines: string[] = [];
  const logger = createLogger('debug', 'logfmt', (l) => lines.push(l));
  return { full, lines, result: readBtrfsIoctlStats(paths, logger, fakeHost(full)) };
}

test('every device of a filesystem, skipping unused ids, counters as u64', async () => {
  const { full, result } = run({ mounts: [mount('/', '/dev/sdb1')], filesystems: new Map([['/', fsA]]) });
  const got = await result;
  assert.deepEqual([...got.keys()], [FSID_A]);
  const devs = got.get(FSID_A) ?? [];
  assert.deepEqual(
    devs.map((d) => [d.path, d.uuid, d.totalBytes, d.bytesUsed]),
    [
      ['/dev/sdb1', 'b5eeb93a-0e11-4ca6-8b01-9e91a8e989c5', 209715200n, 92274688n],
      ['/dev/mapper/crypt1', '11111111-2222-3333-4444-555555555555', 10n, 0n],
    ],
  );
  assert.deepEqual(devs[0]?.errors, { write: 0n, read: 3n, flush: 0n, corruption: 2n ** 60n, generation: 0n });
  // fs info, then ids 0 (ENODEV), 1 (+stats), 2 (ENODEV), 3 (+stats), and no further.
  assert.equal(full.calls.length, 1 + 1 + 2 + 1 + 2);
});

test('one mount point per filesystem: same device or same fsid is not asked twice', async () => {
  const { full, result } = run({
    mounts: [mount('/proc', 'proc', 'proc'), mount('/', '/dev/sdb1'), mount('/home', '/dev/sdb1'), mount('/srv', '/dev/sdc'), mount('/data', '/dev/sdd')],
    filesystems: new Map([
      ['/', fsA],
      ['/home', fsA],
      ['/srv', fsA],
      ['/data', { fsid: FSID_B, devices: [{ devid: 1, uuid: '22'.repeat(16), used: 1n, total: 2n, path: '/dev/sdd' }] }],
    ]),
  });
  assert.deepEqual([...(await result).keys()].sort(), [FSID_B, FSID_A].sort());
  assert.ok(!full.calls.some((c) => c.startsWith('/home ')), 'same source as / is skipped unopened');
  assert.deepEqual(
    full.calls.filter((c) => c.startsWith('/srv ')),
    [`/srv ${BTRFS_IOC_FS_INFO.toString(16)} 0`],
    'same fsid: only FS_INFO',
  );
  assert.ok(!full.calls.some((c) => c.startsWith('/proc ')), 'not btrfs');
});

test('a mount that fails is logged at debug and the next mount of the filesystem tried', async () => {
  const { lines, result } = run({
    mounts: [mount('/bind', '/dev/sdb1'), mount('/notbtrfs', '/dev/sdb1'), mount('/stats-eperm', '/dev/sdb1'), mount('/ok', '/dev/sdb1')],
    notSubvolumeRoots: new Set(['/bind']),
    filesystems: new Map([
      ['/stats-eperm', { ...fsA, statsError: 'EPERM' }],
      ['/ok', fsA],
    ]),
  });
  assert.equal((await result).get(FSID_A)?.length, 2);
  assert.equal(lines.length, 3, lines.join('\n'));
  assert.match(lines[0] ?? '', /level=debug msg="Error inspecting btrfs mountpoint" mountPoint=\/bind err=.*not the root of a btrfs subvolume/);
  assert.match(lines[1] ?? '', /level=debug msg="Error querying btrfs filesystem" mountPoint=\/notbtrfs err=ENOTTY/);
  assert.match(lines[2] ?? '', /level=debug msg="Error querying btrfs device stats" mountPoint=\/stats-eperm err=EPERM/);
});

test('mount points resolve under --path.rootfs, whether or not the table already has the prefix', async () => {
  const { full, result } = run({ mounts: [mount('/host/a', '/dev/sda'), mount('/b', '/dev/sdb')], filesystems: new Map() }, new Paths({ rootfs: '/host' }));
  assert.equal((await result).size, 0);
  assert.deepEqual(
    full.calls.map((c) => c.split(' ')[0]),
    ['/host/a', '/host/b'],
  );
});

test('an unreadable mount table rejects (the collector logs it and keeps its sysfs series)', async () => {
  const { result } = run({ mounts: errno('ENOENT'), filesystems: new Map() });
  await assert.rejects(result, /ENOENT/);
});

test('an id whose info fails with anything but ENODEV fails that filesystem', async () => {
  const state: FakeHostState = { mounts: [mount('/', '/dev/sdb1')], filesystems: new Map([['/', fsA]]), calls: [] };
  const host = fakeHost(state);
  const failing = {
    ...host,
    ioctl: async (p: string, r: number, b: Buffer) => (b.readBigUInt64LE(0) === 0n && r !== BTRFS_IOC_FS_INFO ? Promise.reject(errno('EIO')) : host.ioctl(p, r, b)),
  };
  assert.equal(
    (
      await readBtrfsIoctlStats(
        new Paths(),
        createLogger('error', 'logfmt', () => {}),
        failing,
      )
    ).size,
    0,
  );
});
