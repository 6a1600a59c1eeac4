import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NoDataError } from '../../src/collector.js';
import { swap } from '../../src/collectors/swap.js';
import { collectSeries } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';
import { tmpDirTest } from '../helpers/tmp.js';

const withTmp = tmpDirTest('nts-swap-');

test('swap: three series per area, KiB as bytes, the escaped name as the kernel prints it; off by default', async () => {
  assert.equal(swap.defaultEnabled, false);
  assert.equal(swap.options, undefined);
  const m = await collectSeries(swap, { roots: { procfs: fixturePath('proc') } });
  assert.deepEqual(Object.fromEntries(m), {
    'node_swap_size_bytes{device="/dev/zram0",swap_type="partition"}': 16271356 * 1024,
    'node_swap_size_bytes{device="/dev/dm-1",swap_type="partition"}': 8388604 * 1024,
    'node_swap_size_bytes{device="/var/lib/swap\\\\040file",swap_type="file"}': 4194300 * 1024,
    'node_swap_used_bytes{device="/dev/zram0",swap_type="partition"}': 1234560 * 1024,
    'node_swap_used_bytes{device="/dev/dm-1",swap_type="partition"}': 262144 * 1024,
    'node_swap_used_bytes{device="/var/lib/swap\\\\040file",swap_type="file"}': 0,
    'node_swap_priority{device="/dev/zram0",swap_type="partition"}': 100,
    'node_swap_priority{device="/dev/dm-1",swap_type="partition"}': -2,
    'node_swap_priority{device="/var/lib/swap\\\\040file",swap_type="file"}': -3,
  });
});

test(
  'swap: no swap configured is success with no series',
  withTmp(async (dir) => {
    writeFileSync(path.join(dir, 'swaps'), 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n');
    assert.equal((await collectSeries(swap, { roots: { procfs: dir } })).size, 0);
  }),
);

test(
  'swap: a missing /proc/swaps (no CONFIG_SWAP) fails, as upstream; no "no data"',
  withTmp(async (dir) => {
    await assert.rejects(collectSeries(swap, { roots: { procfs: dir } }), (err: unknown) => !(err instanceof NoDataError) && /ENOENT|no such file/i.test(String(err)));
  }),
);

test(
  'swap: a malformed line fails the collector, naming file and line',
  withTmp(async (dir) => {
    writeFileSync(path.join(dir, 'swaps'), 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/dev/sda2 partition 1x 0 -2\n');
    await assert.rejects(collectSeries(swap, { roots: { procfs: dir } }), /swaps:2: invalid swap size "1x"/);
  }),
);

test('swap: live, a swap file with a space in its name (root only)', async (t) => {
  if (process.getuid?.() !== 0) {
    t.skip('needs root to swapon a file');
    return;
  }
  // On the root filesystem, not /dev/shm: tmpfs cannot hold a swap file.
  const dir = mkdtempSync(path.join(tmpdir(), 'nts-swap-live-'));
  const file = path.join(dir, 'swap file');
  let on = false;
  try {
    try {
      execFileSync('fallocate', ['-l', '16M', file]);
      execFileSync('chmod', ['600', file]);
      execFileSync('mkswap', [file], { stdio: 'ignore' });
      execFileSync('swapon', ['-p', '3', file], { stdio: 'pipe' });
      on = true;
    } catch (err) {
      // A container without CAP_SYS_ADMIN, or a filesystem that cannot hold swap.
      t.skip(`cannot swapon a test file here: ${String(err).split('\n')[0] ?? ''}`);
      return;
    }
    const device = file.replaceAll(' ', '\\040');
    const labels = `{device=${JSON.stringify(device)},swap_type="file"}`;
    const m = await collectSeries(swap, {});
    // 16 MiB less the kernel's one header page (4 KiB on x86 and most arm64 kernels).
    const size = m.get(`node_swap_size_bytes${labels}`);
    assert.ok(size !== undefined && size > 15 * 1024 * 1024 && size < 16 * 1024 * 1024, `size ${String(size)} of ${labels} in ${[...m.keys()].join(' ')}`);
    assert.equal(m.get(`node_swap_priority${labels}`), 3);
    assert.ok((m.get(`node_swap_used_bytes${labels}`) ?? -1) >= 0);
  } finally {
    if (on) execFileSync('swapoff', [file]);
    rmSync(dir, { recursive: true, force: true });
  }
});
