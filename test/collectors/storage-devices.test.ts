import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, NoDataError } from '../../src/collector.js';
import { dmmultipath } from '../../src/collectors/dmmultipath.js';
import { drbd } from '../../src/collectors/drbd.js';
import { fibrechannel } from '../../src/collectors/fibrechannel.js';
import { nvme } from '../../src/collectors/nvme.js';
import { tapestats } from '../../src/collectors/tapestats.js';
import { buildCollector, collectSeries, familySeries } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';
import { tmpDirTest } from '../helpers/tmp.js';

const withTmp = tmpDirTest('nts-stor-');

const write = (file: string, text: string): void => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
};

const sys = { sysfs: fixturePath('sys') };

test('drbd: default off; KiB counters in bytes, role and disk pairs, connection', async () => {
  assert.equal(drbd.defaultEnabled, false);
  const m = await collectSeries(drbd, { roots: { procfs: fixturePath('proc') } });
  assert.equal(m.get('node_drbd_network_sent_bytes_total{device="drbd0"}'), 4306452764 * 1024);
  assert.equal(m.get('node_drbd_network_received_bytes_total{device="drbd1"}'), 88211390);
  assert.equal(m.get('node_drbd_out_of_sync_bytes{device="drbd1"}'), 1048576 * 1024);
  assert.equal(m.get('node_drbd_node_role_is_primary{device="drbd0",node="remote"}'), 0);
  assert.equal(m.get('node_drbd_disk_state_is_up_to_date{device="drbd0",node="local"}'), 1);
  assert.equal(m.get('node_drbd_connected{device="drbd1"}'), 0);
  assert.equal(m.get('node_drbd_connected{device="drbd7"}'), 0);
  assert.equal(familySeries(m, 'node_drbd_epochs').size, 2);
});

test(
  'drbd: missing file is no data, a malformed one fails',
  withTmp(async (dir) => {
    await assert.rejects(collectSeries(drbd, { roots: { procfs: dir } }), NoDataError);
    writeFileSync(path.join(dir, 'drbd'), ' 0: cs:Connected\n    ns:lots\n');
    await assert.rejects(collectSeries(drbd, { roots: { procfs: dir } }), /drbd:2: invalid ns value/);
  }),
);

test('fibrechannel: info labels, unsupported counters left out, an Unknown port reads all zeros', async () => {
  assert.equal(fibrechannel.defaultEnabled, true);
  const m = await collectSeries(fibrechannel, { roots: sys });
  assert.equal(
    m.get(
      'node_fibrechannel_info{dev_loss_tmo="30",fabric_name="0",fc_host="host4",port_id="000000",port_name="21000024ff7a1b3d",port_state="Unknown",port_type="Unknown",speed="unknown",supported_classes="",supported_speeds="",symbolic_name=""}',
    ),
    1,
  );
  assert.equal(m.get('node_fibrechannel_rx_frames_total{fc_host="host3"}'), 0x1a2b3c4d5e);
  assert.equal(m.has('node_fibrechannel_dumped_frames_total{fc_host="host3"}'), false);
  assert.equal(m.has('node_fibrechannel_nos_total{fc_host="host3"}'), false);
  assert.equal(m.get('node_fibrechannel_dumped_frames_total{fc_host="host4"}'), 0);
  assert.equal(m.get('node_fibrechannel_invalid_crc_total{fc_host="host4"}'), 0);
  assert.equal(m.get('node_fibrechannel_invalid_tx_words_total{fc_host="host3"}'), 31);
});

test(
  'fibrechannel: no fc_host class is no data; a bad counter fails',
  withTmp(async (dir) => {
    await assert.rejects(collectSeries(fibrechannel, { roots: { sysfs: dir } }), NoDataError);
    write(path.join(dir, 'class/fc_host/host0/port_state'), 'Online\n');
    write(path.join(dir, 'class/fc_host/host0/statistics/tx_frames'), 'many\n');
    await assert.rejects(collectSeries(fibrechannel, { roots: { sysfs: dir } }), /host0\/statistics\/tx_frames: invalid counter "many"/);
  }),
);

test('nvme: controller info and namespaces', async () => {
  assert.equal(nvme.defaultEnabled, true);
  const m = await collectSeries(nvme, { roots: sys });
  assert.equal(m.get('node_nvme_info{cntlid="6",device="nvme0",firmware_revision="GXA7801Q",model="Samsung SSD 990 PRO 2TB",serial="S7KHNJ0W612345X",state="live"}'), 1);
  assert.equal(m.get('node_nvme_namespace_info{ana_state="unknown",device="nvme0",nsid="1"}'), 1);
  assert.equal(m.get('node_nvme_namespace_info{ana_state="inaccessible",device="nvme1",nsid="2"}'), 1);
  assert.equal(m.get('node_nvme_namespace_capacity_bytes{device="nvme1",nsid="1"}'), 2147483648 * 4096);
  assert.equal(m.get('node_nvme_namespace_used_bytes{device="nvme1",nsid="2"}'), 131072 * 4096);
  assert.equal(familySeries(m, 'node_nvme_namespace_size_bytes').size, 3);
});

test(
  'nvme: no class or a controller missing a required file is no data',
  withTmp(async (dir) => {
    await assert.rejects(collectSeries(nvme, { roots: { sysfs: dir } }), NoDataError);
    for (const f of ['firmware_rev', 'model', 'serial', 'state']) write(path.join(dir, 'class/nvme/nvme0', f), 'x\n');
    await assert.rejects(collectSeries(nvme, { roots: { sysfs: dir } }), NoDataError);
  }),
);

test('tapestats: st<N> devices only, nanoseconds in seconds, ignored-devices flag', async () => {
  assert.equal(tapestats.defaultEnabled, true);
  const m = await collectSeries(tapestats, { roots: sys });
  assert.deepEqual([...familySeries(m, 'node_tape_io_now').keys()], ['node_tape_io_now{device="st0"}', 'node_tape_io_now{device="st1"}']);
  assert.equal(m.get('node_tape_io_time_seconds_total{device="st0"}'), 58211093312044 * 1e-9);
  assert.equal(m.get('node_tape_written_bytes_total{device="st0"}'), 9895604649984);
  assert.equal(m.get('node_tape_read_time_seconds_total{device="st1"}'), 0);
  const only0 = await collectSeries(tapestats, { roots: sys, options: { 'collector.tapestats.ignored-devices': '^st1$' } });
  assert.deepEqual([...familySeries(only0, 'node_tape_io_now').keys()], ['node_tape_io_now{device="st0"}']);
  assert.throws(() => buildCollector(tapestats, { options: { 'collector.tapestats.ignored-devices': '(' } }), ConfigError);
});

test(
  'tapestats: no class is no data; a bad counter fails',
  withTmp(async (dir) => {
    await assert.rejects(collectSeries(tapestats, { roots: { sysfs: dir } }), NoDataError);
    write(path.join(dir, 'class/scsi_tape/st0/stats/read_cnt'), '-1\n');
    await assert.rejects(collectSeries(tapestats, { roots: { sysfs: dir } }), /st0\/stats\/read_cnt: invalid value "-1"/);
  }),
);

test('dmmultipath: mpath maps only, path states and counts', async () => {
  assert.equal(dmmultipath.defaultEnabled, true);
  const m = await collectSeries(dmmultipath, { roots: sys });
  assert.deepEqual(
    [...familySeries(m, 'node_dmmultipath_device_info').keys()],
    ['node_dmmultipath_device_info{device="mpatha",sysfs_name="dm-2",uuid="mpath-36005076810810123a800000000000042"}'],
  );
  assert.equal(m.get('node_dmmultipath_device_size_bytes{device="mpatha",sysfs_name="dm-2"}'), 4294967296 * 512);
  assert.equal(m.get('node_dmmultipath_device_paths_active{device="mpatha",sysfs_name="dm-2"}'), 1);
  assert.equal(m.get('node_dmmultipath_device_paths_failed{device="mpatha",sysfs_name="dm-2"}'), 1);
  assert.equal(m.get('node_dmmultipath_path_state{device="mpatha",path="sdc",state="transport-offline"}'), 1);
});

test(
  'dmmultipath: no block dir or an unreadable path is no data; a bad number fails',
  withTmp(async (dir) => {
    await assert.rejects(collectSeries(dmmultipath, { roots: { sysfs: dir } }), NoDataError);
    write(path.join(dir, 'block/dm-0/dm/uuid'), 'mpath-1\n');
    write(path.join(dir, 'block/dm-0/dm/name'), 'mpatha\n');
    write(path.join(dir, 'block/dm-0/dm/suspended'), '0\n');
    write(path.join(dir, 'block/dm-0/size'), 'big\n');
    await assert.rejects(collectSeries(dmmultipath, { roots: { sysfs: dir } }), /block\/dm-0\/size: invalid unsigned integer "big"/);
    write(path.join(dir, 'block/dm-0/size'), '8\n');
    mkdirSync(path.join(dir, 'block/dm-0/slaves/sdx'), { recursive: true });
    await assert.rejects(collectSeries(dmmultipath, { roots: { sysfs: dir } }), NoDataError);
  }),
);
