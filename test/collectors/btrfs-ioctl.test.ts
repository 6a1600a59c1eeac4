/** The btrfs collector's per-device series: from the ioctls where they answer, from sysfs where not. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { btrfsDefinition } from '../../src/collectors/btrfs.js';
import { createLogger } from '../../src/logger.js';
import { pathIoctl } from '../../src/native.js';
import { errno, fakeHost, mount, type FakeHostState } from '../helpers/btrfs-host.js';
import { fixturePath } from '../helpers/repo.js';
import { collectSeries, familySeries } from '../helpers/series.js';

const roots = { procfs: fixturePath('proc'), sysfs: fixturePath('sys') };
const A = 'e2c8a3b4-6f0d-4b9e-8a71-5c3d2e1f0a96';
const B = '9b41f0c7-2d85-4e3a-b6f9-0a7c5e8d1234';

function collect(state: Omit<FakeHostState, 'calls'>) {
  const lines: string[] = [];
  const logger = createLogger('debug', 'logfmt', (l) => lines.push(l));
  const def = btrfsDefinition(() => fakeHost({ ...state, calls: [] }));
  return { lines, series: collectSeries(def, { roots, logger }) };
}

test('btrfs: ioctl devices for the filesystem that answered, sysfs sizes for the other', async () => {
  const { series } = collect({
    mounts: [mount('/', '/dev/nvme0n1p3')],
    filesystems: new Map([
      [
        '/',
        {
          fsid: A.replaceAll('-', ''),
          devices: [
            { devid: 1, uuid: 'aa'.repeat(16), used: 1000n, total: 4000n, path: '/dev/nvme0n1p3', stats: { write: 7n, corruption: 2n ** 64n - 1n } },
            // Upstream subtracts in uint64: more used than total wraps rather than going negative.
            { devid: 2, uuid: 'bb'.repeat(16), used: 5n, total: 4n, path: '/dev/mapper/sdb1_crypt' },
          ],
        },
      ],
    ]),
  });
  const m = await series;
  const a1 = `btrfs_dev_uuid="aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa",device="nvme0n1p3",uuid="${A}"`;
  const a2 = `btrfs_dev_uuid="bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb",device="sdb1_crypt",uuid="${A}"`;
  assert.equal(m.get(`node_btrfs_device_size_bytes{${a1}}`), 4000);
  assert.equal(m.get(`node_btrfs_device_unused_bytes{${a1}}`), 3000);
  assert.equal(m.get(`node_btrfs_device_unused_bytes{${a2}}`), 2 ** 64);
  // Keys have their labels sorted: type sits before uuid.
  const errors = (labels: string, type: string) => m.get(`node_btrfs_device_errors_total{${labels.replace(',uuid=', `,type="${type}",uuid=`)}}`);
  assert.equal(errors(a1, 'write'), 7);
  assert.equal(errors(a1, 'read'), 0);
  assert.equal(errors(a1, 'corruption'), 2 ** 64);
  assert.equal(errors(a2, 'generation'), 0);
  assert.equal(familySeries(m, 'node_btrfs_device_errors_total').size, 2 * 5);
  // B did not answer: its four sysfs devices, labelled as upstream's fallback.
  const sizes = [...familySeries(m, 'node_btrfs_device_size_bytes').keys()];
  assert.deepEqual(
    sizes.filter((k) => k.includes(B)).sort(),
    ['sdc', 'sdd', 'sde', 'sdf'].map((d) => `node_btrfs_device_size_bytes{device="${d}",uuid="${B}"}`),
  );
  assert.ok(!sizes.some((k) => k.includes(A) && !k.includes('btrfs_dev_uuid')), 'no sysfs sizes beside the ioctl ones');
  assert.equal(familySeries(m, 'node_btrfs_device_unused_bytes').size, 2);
});

test('btrfs: an unreadable mount table is a debug line and the sysfs series', async () => {
  const { lines, series } = collect({ mounts: errno('ENOENT'), filesystems: new Map() });
  const m = await series;
  assert.equal(familySeries(m, 'node_btrfs_device_size_bytes').size, 6);
  assert.equal(familySeries(m, 'node_btrfs_device_errors_total').size, 0);
  assert.equal(m.get(`node_btrfs_info{label="home-pool",uuid="${A}"}`), 1);
  assert.deepEqual(
    lines.map((l) => / level=(\w+) msg="([^"]*)"/.exec(l)?.slice(1).join(' ')),
    ['debug Error querying btrfs device stats with ioctl'],
  );
});

test('btrfs: the real pathIoctl on a directory that is not btrfs (ENOTTY) leaves the sysfs series', async () => {
  const lines: string[] = [];
  const logger = createLogger('debug', 'logfmt', (l) => lines.push(l));
  // The mount table claims btrfs; the kernel knows better.
  const def = btrfsDefinition(() => ({ mounts: async () => [mount('/proc', '/dev/sdz')], isSubvolumeRoot: async () => true, ioctl: pathIoctl }));
  const m = await collectSeries(def, { roots, logger });
  assert.equal(familySeries(m, 'node_btrfs_device_size_bytes').size, 6);
  assert.equal(familySeries(m, 'node_btrfs_device_errors_total').size, 0);
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0] ?? '', /level=debug msg="Error querying btrfs filesystem" mountPoint=\/proc err="Inappropriate ioctl for device"/);
});
