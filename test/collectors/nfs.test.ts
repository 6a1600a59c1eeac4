import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NoDataError } from '../../src/collector.js';
import { mountstats } from '../../src/collectors/mountstats.js';
import { nfs } from '../../src/collectors/nfs.js';
import { nfsd } from '../../src/collectors/nfsd.js';
import { collectSeries, familySeries } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';
import { tmpDirTest } from '../helpers/tmp.js';

const withTmp = tmpDirTest('nts-nfs-');

const HOME = 'export="files.example.net:/export/home",mountaddr="10.20.0.2",protocol="tcp"';
const LEGACY = 'export="10.20.0.9:/vol/legacy",mountaddr="10.20.0.9",protocol="udp"';
/** Labels sort by name, so mountpoint goes before protocol. */
const info = (labels: string, mountpoint: string): string => labels.replace(',protocol=', `,mountpoint="${mountpoint}",protocol=`);
const op = (labels: string, operation: string): string => labels.replace(',protocol=', `,operation="${operation}",protocol=`);

test('nfs: client counters and every procedure of v2, v3 and v4; default on', async () => {
  assert.equal(nfs.defaultEnabled, true);
  const m = await collectSeries(nfs, { roots: { procfs: fixturePath('proc') } });
  assert.equal(m.get('node_nfs_rpcs_total{}'), 90871223001);
  assert.equal(m.get('node_nfs_packets_total{protocol="tcp"}'), 0);
  assert.equal(m.get('node_nfs_requests_total{method="Null",proto="2"}'), 0);
  assert.equal(m.get('node_nfs_requests_total{method="GetAttr",proto="3"}'), 2 ** 53);
  assert.equal(m.get('node_nfs_requests_total{method="Sequence",proto="4"}'), 90871223);
  assert.equal(familySeries(m, 'node_nfs_requests_total').size, 18 + 22 + 59);
});

test('nfsd: server counters, v4 operations and WdelegGetattr; default on', async () => {
  assert.equal(nfsd.defaultEnabled, true);
  const m = await collectSeries(nfsd, { roots: { procfs: fixturePath('proc') } });
  assert.equal(m.get('node_nfsd_server_threads{}'), 16);
  assert.equal(m.get('node_nfsd_rpc_errors_total{error="auth"}'), 3);
  assert.equal(m.get('node_nfsd_packets_total{proto="tcp"}'), 14021207);
  assert.equal(m.get('node_nfsd_requests_total{method="PutFH",proto="4"}'), 14021203);
  assert.equal(m.get('node_nfsd_requests_total{method="WdelegGetattr",proto="4"}'), 2);
  assert.equal(m.has('node_nfsd_requests_total{method="Null",proto="3"}'), false);
  assert.equal(familySeries(m, 'node_nfsd_requests_total').size, 17 + 21 + 35 + 1);
});

test(
  'nfs, nfsd: no file means no data; a malformed one fails naming the file and line',
  withTmp(async (dir) => {
    await assert.rejects(collectSeries(nfs, { roots: { procfs: dir } }), NoDataError);
    await assert.rejects(collectSeries(nfsd, { roots: { procfs: dir } }), NoDataError);
    mkdirSync(path.join(dir, 'net', 'rpc'), { recursive: true });
    writeFileSync(path.join(dir, 'net', 'rpc', 'nfs'), 'net 1 2 3 4\nrpc 1 2\n');
    await assert.rejects(collectSeries(nfs, { roots: { procfs: dir } }), /rpc\/nfs:2: rpc line has 2 values/);
    writeFileSync(path.join(dir, 'net', 'rpc', 'nfsd'), 'th eight 0\n');
    await assert.rejects(collectSeries(nfsd, { roots: { procfs: dir } }), /rpc\/nfsd:1: invalid th value 1/);
  }),
);

test('mountstats: default off; one set of stats per export, one info series per mount point', async () => {
  assert.equal(mountstats.defaultEnabled, false);
  const m = await collectSeries(mountstats, { roots: { procfs: fixturePath('nfsclient', 'proc') } });
  assert.deepEqual(
    [...familySeries(m, 'node_mountstats_nfs_mountpoint_info').keys()],
    [
      `node_mountstats_nfs_mountpoint_info{${info(HOME, '/home')}}`,
      `node_mountstats_nfs_mountpoint_info{${info(HOME, '/srv/home\\\\040copy')}}`,
      `node_mountstats_nfs_mountpoint_info{${info(LEGACY, '/mnt/legacy')}}`,
    ],
  );
  assert.equal(familySeries(m, 'node_mountstats_nfs_age_seconds_total').size, 2);
  assert.equal(m.get(`node_mountstats_nfs_age_seconds_total{${HOME}}`), 864512);
  assert.equal(m.get(`node_mountstats_nfs_transport_sends_total{${HOME},transport="1"}`), 47991020);
  assert.equal(m.get(`node_mountstats_nfs_transport_maximum_rpc_slots{${LEGACY},transport="0"}`), 0);
  // Times beyond 2^53 ms are folded modulo 2^53 before the conversion to seconds, as upstream does.
  assert.equal(m.get(`node_mountstats_nfs_operations_queue_time_seconds_total{${op(HOME, 'WRITE')}}`), 0.003);
  assert.equal(m.get(`node_mountstats_nfs_operations_queue_time_seconds_total{${op(HOME, 'READ')}}`), Number(18446744073709551000n % 2n ** 53n) / 1000);
  assert.equal(m.get(`node_mountstats_nfs_operations_request_time_seconds_total{${op(LEGACY, 'GETATTR')}}`), 0.022);
  assert.equal(m.get(`node_mountstats_nfs_event_vfs_open_total{${HOME}}`), 581209);
  assert.equal(m.get(`node_mountstats_nfs_event_pnfs_write_total{${LEGACY}}`), 0);
  assert.equal(familySeries(m, 'node_mountstats_nfs_event_congestion_wait_total').size, 0);
});

test(
  'mountstats: missing or malformed files fail the collector',
  withTmp(async (dir) => {
    await assert.rejects(collectSeries(mountstats, { roots: { procfs: dir } }), /ENOENT|no such file/i);
    mkdirSync(path.join(dir, 'self'));
    writeFileSync(path.join(dir, 'self', 'mountinfo'), '');
    writeFileSync(path.join(dir, 'self', 'mountstats'), 'device a mounted on /a with fstype nfs statvers=1.1\n\tbytes:\t1 2\n');
    await assert.rejects(collectSeries(mountstats, { roots: { procfs: dir } }), /self\/mountstats:2: bytes line has 2 values/);
    // No mountinfo line to pair with: the mount address is empty, as upstream leaves it.
    writeFileSync(path.join(dir, 'self', 'mountstats'), 'device a:/b mounted on /a with fstype nfs statvers=1.1\n\txprt:\ttcp 1 2 3 4 5 6 7 8 9 10 11 12 13\n');
    const m = await collectSeries(mountstats, { roots: { procfs: dir } });
    assert.equal(m.get('node_mountstats_nfs_mountpoint_info{export="a:/b",mountaddr="",mountpoint="/a",protocol="tcp"}'), 1);
  }),
);
