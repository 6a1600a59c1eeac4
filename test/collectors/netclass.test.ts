import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NoDataError } from '../../src/collector.js';
import { netclass } from '../../src/collectors/netclass.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { fixturePath } from '../helpers/repo.js';
import { buildCollector, collectOnce, collectSeries, familySeries } from '../helpers/series.js';

const roots = { sysfs: fixturePath('sys') };
const devicesOf = (m: Map<string, number>, family: string) => [...familySeries(m, family).keys()].map((k) => /device="([^"]+)"/.exec(k)?.[1]).sort();

test('netclass: every attribute of a symlinked physical interface', async () => {
  const m = await collectSeries(netclass, { roots });
  const eth0 = new Map([...m].filter(([k]) => k.includes('device="eth0"')));
  assert.deepEqual(Object.fromEntries(eth0), {
    'node_network_up{device="eth0"}': 1,
    'node_network_info{address="3c:52:82:0e:a1:70",adminstate="up",broadcast="ff:ff:ff:ff:ff:ff",device="eth0",duplex="full",ifalias="uplink to core-sw1 port 17",operstate="up"}': 1,
    'node_network_address_assign_type{device="eth0"}': 0,
    'node_network_carrier{device="eth0"}': 1,
    'node_network_carrier_changes_total{device="eth0"}': 4,
    'node_network_carrier_up_changes_total{device="eth0"}': 2,
    'node_network_carrier_down_changes_total{device="eth0"}': 2,
    'node_network_device_id{device="eth0"}': 0,
    'node_network_dormant{device="eth0"}': 0,
    'node_network_flags{device="eth0"}': 0x1003,
    'node_network_iface_id{device="eth0"}': 2,
    'node_network_iface_link{device="eth0"}': 2,
    'node_network_iface_link_mode{device="eth0"}': 0,
    'node_network_mtu_bytes{device="eth0"}': 9000,
    'node_network_name_assign_type{device="eth0"}': 4,
    'node_network_net_dev_group{device="eth0"}': 0,
    'node_network_speed_bytes{device="eth0"}': 1_250_000_000,
    'node_network_transmit_queue_length{device="eth0"}': 1000,
    'node_network_protocol_type{device="eth0"}': 1,
  });
});

test('netclass: attributes a driver does not give are left out; bonding_masters is not a device', async () => {
  const m = await collectSeries(netclass, { roots });
  assert.deepEqual(devicesOf(m, 'node_network_up'), ['enp1s0', 'eth0', 'lo', 'wlan0']);
  assert.deepEqual(devicesOf(m, 'node_network_carrier'), ['enp1s0', 'eth0', 'lo'], 'wlan0 is down: no carrier file');
  assert.deepEqual(devicesOf(m, 'node_network_name_assign_type'), ['enp1s0', 'eth0', 'wlan0']);
  assert.equal(m.get('node_network_up{device="lo"}'), 0, 'operstate "unknown" is not up');
  assert.ok(m.has('node_network_info{address="00:00:00:00:00:00",adminstate="up",broadcast="00:00:00:00:00:00",device="lo",duplex="",ifalias="",operstate="unknown"}'));
  assert.ok(m.has('node_network_info{address="a0:63:91:2b:0c:10",adminstate="down",broadcast="ff:ff:ff:ff:ff:ff",device="wlan0",duplex="",ifalias="",operstate="down"}'));
});

test('netclass: speed -1 is converted unless ignore-invalid-speed', async () => {
  const plain = await collectSeries(netclass, { roots });
  assert.equal(plain.get('node_network_speed_bytes{device="enp1s0"}'), -125000);
  const ignoring = await collectSeries(netclass, { roots, options: { 'collector.netclass.ignore-invalid-speed': true } });
  assert.deepEqual(devicesOf(ignoring, 'node_network_speed_bytes'), ['eth0']);
});

test('netclass: ignored-devices, and types as upstream', async () => {
  const fs = await collectOnce(buildCollector(netclass, { roots, options: { 'collector.netclass.ignored-devices': '^(lo|wlan\\d+)$' } }));
  const counters = fs
    .filter((f) => f.type === 'counter')
    .map((f) => f.name)
    .sort();
  assert.deepEqual(counters, ['node_network_carrier_changes_total', 'node_network_carrier_down_changes_total', 'node_network_carrier_up_changes_total']);
  assert.ok(fs.every((f) => f.samples.every((s) => s.labels.device === 'eth0' || s.labels.device === 'enp1s0')));
});

test('netclass: no sysfs is no data; a bad attribute fails (netlink mode: test/collectors/netclass-netlink.test.ts)', async () => {
  await assert.rejects(collectSeries(netclass, { roots: { sysfs: fixturePath('does-not-exist') } }), NoDataError);
  const root = mkdtempSync(path.join(tmpdir(), 'nets-netclass-'));
  cpSync(fixturePath('sys', 'class', 'net', 'wlan0'), path.join(root, 'class', 'net', 'wlan0'), { recursive: true });
  writeFileSync(path.join(root, 'class', 'net', 'wlan0', 'mtu'), 'fifteen hundred\n');
  await assert.rejects(collectSeries(netclass, { roots: { sysfs: root } }), (e: unknown) => e instanceof ParseError && /class\/net\/wlan0: invalid mtu/.test(e.message));
});
