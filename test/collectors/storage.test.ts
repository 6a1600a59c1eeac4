import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NoDataError } from '../../src/collector.js';
import { bcache } from '../../src/collectors/bcache.js';
import { bcachefs } from '../../src/collectors/bcachefs.js';
import { sanitizeMetricName } from '../../src/metric-name.js';
import { btrfs } from '../../src/collectors/btrfs.js';
import { mdadm } from '../../src/collectors/mdadm.js';
import { xfs } from '../../src/collectors/xfs.js';
import { zfs } from '../../src/collectors/zfs.js';
import { collectOnce, buildCollector, collectSeries, familySeries } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';
import { tmpDirTest } from '../helpers/tmp.js';

const roots = { procfs: fixturePath('proc'), sysfs: fixturePath('sys') };

const withTmp = tmpDirTest('nts-storage-');

test('storage collectors are on by default, as upstream', () => {
  for (const c of [bcache, bcachefs, btrfs, mdadm, xfs, zfs]) assert.equal(c.defaultEnabled, true, c.name);
});

test('zfs: kstats by subsystem, dashes as underscores, pools, datasets and states', async () => {
  const m = await collectSeries(zfs, { roots });
  assert.equal(m.get('node_zfs_arc_c_max{}'), 17179869184);
  assert.equal(m.get('node_zfs_arc_memory_available_bytes{}'), -278921216);
  assert.equal(m.get('node_zfs_fm_erpt_dropped{}'), 18);
  assert.equal(m.get('node_zfs_dmu_tx_dmu_tx_assigned{}'), 29384711);
  assert.equal(m.get('node_zfs_zpool_nwritten{zpool="tank"}'), 402917216256);
  assert.equal(m.get('node_zfs_zpool_dataset_nread{dataset="tank/home dir",zpool="tank"}'), 263118372352);
  assert.equal(m.get('node_zfs_zpool_state{state="degraded",zpool="backup"}'), 1);
  assert.equal(familySeries(m, 'node_zfs_zpool_state').size, 14);
  assert.equal(familySeries(m, 'node_zfs_zpool_nread').size, 1, 'backup has no io kstat');
});

test(
  'zfs: no kstat directory is no data; a malformed kstat fails naming the file',
  withTmp(async (dir) => {
    await assert.rejects(collectOnce(buildCollector(zfs, { roots: { procfs: dir } })), NoDataError);
    mkdirSync(path.join(dir, 'spl/kstat/zfs'), { recursive: true });
    assert.equal((await collectSeries(zfs, { roots: { procfs: dir } })).size, 0, 'module loaded, nothing to report');
    writeFileSync(path.join(dir, 'spl/kstat/zfs/zil'), '1 1 0x01\nname type data\nzil_commit_count 4 x\n');
    await assert.rejects(collectSeries(zfs, { roots: { procfs: dir } }), /spl\/kstat\/zfs\/zil:3: invalid unsigned/);
  }),
);

test('bcachefs: filesystem, counters, devices; missing optional files', async () => {
  const m = await collectSeries(bcachefs, { roots });
  const u = 'uuid="5d7c1a2e-9b3f-4c8d-a1e6-2f4b8c9d0e71"';
  assert.equal(m.get(`node_bcachefs_info{${u}}`), 1);
  assert.equal(m.get(`node_bcachefs_btree_cache_size_bytes{${u}}`), 412 * 2 ** 20);
  assert.equal(m.get(`node_bcachefs_fsync_total{${u}}`), 9215342);
  assert.equal(m.get(`node_bcachefs_btree_node_read_total{${u}}`), 0, 'only "since mount" known');
  assert.equal(m.get(`node_bcachefs_device_info{device="1",label="",state="rw ro [evacuating] spare",${u}}`), 1);
  assert.equal(m.get(`node_bcachefs_device_durability{device="1",${u}}`), 2);
  assert.equal(m.get(`node_bcachefs_device_io_errors_total{device="0",type="checksum",${u}}`), 1);
  assert.equal(familySeries(m, 'node_bcachefs_device_io_errors_total').size, 3, 'dev-1 has no io_errors file');
  assert.equal(m.get(`node_bcachefs_btree_write_average_size_bytes{type="interior",${u}}`), 1536);
});

test(
  'bcachefs: absent or empty sysfs dir is no data; a bad counter fails',
  withTmp(async (dir) => {
    await assert.rejects(collectOnce(buildCollector(bcachefs, { roots: { sysfs: dir } })), NoDataError);
    mkdirSync(path.join(dir, 'fs/bcachefs'), { recursive: true });
    await assert.rejects(collectOnce(buildCollector(bcachefs, { roots: { sysfs: dir } })), NoDataError);
    mkdirSync(path.join(dir, 'fs/bcachefs/abc/counters'), { recursive: true });
    writeFileSync(path.join(dir, 'fs/bcachefs/abc/counters/fsync'), 'garbage\n');
    await assert.rejects(collectSeries(bcachefs, { roots: { sysfs: dir } }), /counters\/fsync: counter file has neither/);
  }),
);

test('sanitizeMetricName: runs of invalid characters and their underscores become one', () => {
  assert.equal(sanitizeMetricName('a-b'), 'a_b');
  assert.equal(sanitizeMetricName('a__-.__b'), 'a_b');
  assert.equal(sanitizeMetricName('plain_name'), 'plain_name');
});

test('mdadm: mdstat arrays plus sysfs raid_disks/degraded', async () => {
  const m = await collectSeries(mdadm, { roots });
  assert.equal(m.get('node_md_state{device="md127",state="recovering"}'), 1);
  assert.equal(m.get('node_md_state{device="md1",state="check"}'), 1);
  assert.equal(m.get('node_md_state{device="md3",state="resync"}'), 1);
  assert.equal(m.get('node_md_disks{device="md1",state="failed"}'), 1);
  assert.equal(m.get('node_md_blocks_synced{device="md127"}'), 266741248);
  assert.equal(m.get('node_md_raid_disks{device="md127"}'), 2);
  assert.equal(m.get('node_md_degraded{device="md127"}'), 1);
  assert.equal(m.get('node_md_degraded{device="md0"}'), 0, 'raid0 has no degraded file: 0');
  assert.equal(familySeries(m, 'node_md_state').size, 25);
});

test(
  'mdadm: no mdstat is no data; a bad mdstat or sysfs attribute fails',
  withTmp(async (dir) => {
    await assert.rejects(collectOnce(buildCollector(mdadm, { roots: { procfs: dir, sysfs: dir } })), NoDataError);
    writeFileSync(path.join(dir, 'mdstat'), 'Personalities : [raid1]\nmd0 : active raid1 sda1[0]\n');
    await assert.rejects(collectSeries(mdadm, { roots: { procfs: dir, sysfs: dir } }), /mdstat:2: too few lines/);
    writeFileSync(path.join(dir, 'mdstat'), 'Personalities : [raid1]\nunused devices: <none>\n');
    cpSync(fixturePath('sys', 'block', 'md127'), path.join(dir, 'block', 'md127'), { recursive: true });
    assert.equal((await collectSeries(mdadm, { roots: { procfs: dir, sysfs: dir } })).get('node_md_degraded{device="md127"}'), 1);
    writeFileSync(path.join(dir, 'block/md127/md/degraded'), 'one\n');
    await assert.rejects(collectSeries(mdadm, { roots: { procfs: dir, sysfs: dir } }), /md127\/md\/degraded/);
  }),
);

test('btrfs: allocation per type and profile, commit stats, sysfs device sizes', async () => {
  const m = await collectSeries(btrfs, { roots });
  const a = 'uuid="e2c8a3b4-6f0d-4b9e-8a71-5c3d2e1f0a96"';
  const b = 'uuid="9b41f0c7-2d85-4e3a-b6f9-0a7c5e8d1234"';
  assert.equal(m.get(`node_btrfs_info{label="home-pool",${a}}`), 1);
  assert.equal(m.get(`node_btrfs_info{label="",${b}}`), 1);
  assert.equal(m.get(`node_btrfs_commit_seconds_total{${a}}`), 3921.884);
  assert.equal(m.get(`node_btrfs_commits_total{${b}}`), 0, 'no commit_stats before Linux 6.0');
  assert.equal(m.get(`node_btrfs_allocation_ratio{block_group_type="data",mode="raid6",${b}}`), 2);
  assert.equal(m.get(`node_btrfs_reserved_bytes{block_group_type="metadata",${a}}`), 1245184);
  assert.equal(m.get(`node_btrfs_device_size_bytes{device="sdb1",${a}}`), 3907029168 * 512);
  assert.equal(familySeries(m, 'node_btrfs_used_bytes').size, 6);
});

test(
  'btrfs: no filesystems is an empty success; malformed commit_stats fails',
  withTmp(async (dir) => {
    assert.equal((await collectSeries(btrfs, { roots: { sysfs: dir } })).size, 0);
    mkdirSync(path.join(dir, 'fs/btrfs/1234-5678'), { recursive: true });
    writeFileSync(path.join(dir, 'fs/btrfs/1234-5678/commit_stats'), 'commits\n');
    await assert.rejects(collectSeries(btrfs, { roots: { sysfs: dir } }), /1234-5678\/commit_stats:1/);
  }),
);

test('xfs: per-device counters; the global stats directory is not a device', async () => {
  const m = await collectSeries(xfs, { roots });
  assert.equal(m.get('node_xfs_read_calls_total{device="sda1"}'), 4294967295);
  assert.equal(m.get('node_xfs_write_calls_total{device="sda1"}'), 95873122);
  assert.equal(m.get('node_xfs_vnode_remove_total{device="nvme0n1p2"}'), 744);
  assert.equal(m.size, 39 * 2);
});

test(
  'xfs: a malformed stats file fails naming it',
  withTmp(async (dir) => {
    mkdirSync(path.join(dir, 'fs/xfs/vdb/stats'), { recursive: true });
    writeFileSync(path.join(dir, 'fs/xfs/vdb/stats/stats'), 'rw 1\n');
    await assert.rejects(collectSeries(xfs, { roots: { sysfs: dir } }), /vdb\/stats\/stats:1: rw has 1 values/);
  }),
);

test('bcache: set, backing and cache devices; priority stats only with the flag', async () => {
  const u = 'uuid="3f6a2c91-8d4e-4b7a-9e05-c1d2b3a4f567"';
  const m = await collectSeries(bcache, { roots });
  assert.equal(m.get(`node_bcache_btree_read_average_duration_seconds{${u}}`), 612e-9);
  assert.equal(m.get(`node_bcache_cache_readaheads_total{backing_device="bdev0",${u}}`), 211);
  assert.equal(m.get(`node_bcache_writeback_rate{backing_device="bdev0",${u}}`), 1150976);
  assert.equal(m.get(`node_bcache_written_bytes_total{cache_device="cache0",${u}}`), 401 * 2 ** 30);
  assert.equal(familySeries(m, 'node_bcache_priority_stats_unused_percent').size, 0);
  const p = await collectSeries(bcache, { roots, options: { 'collector.bcache.priorityStats': true } });
  assert.equal(p.get(`node_bcache_priority_stats_unused_percent{cache_device="cache0",${u}}`), 12);
  assert.equal(p.size, m.size + 2);
});

test(
  'bcache: writeback_rate_debug is required; a bad value fails naming the file',
  withTmp(async (dir) => {
    assert.equal((await collectSeries(bcache, { roots: { sysfs: dir } })).size, 0);
    const set = path.join(dir, 'fs/bcache/aaaa-bbbb');
    mkdirSync(path.join(set, 'bdev0'), { recursive: true });
    await assert.rejects(collectSeries(bcache, { roots: { sysfs: dir } }), /ENOENT.*writeback_rate_debug|writeback_rate_debug.*ENOENT|no such file/i);
    writeFileSync(path.join(set, 'bdev0/writeback_rate_debug'), 'rate: 1k/sec\n');
    writeFileSync(path.join(set, 'tree_depth'), 'deep\n');
    await assert.rejects(collectSeries(bcache, { roots: { sysfs: dir } }), /aaaa-bbbb\/tree_depth/);
  }),
);
