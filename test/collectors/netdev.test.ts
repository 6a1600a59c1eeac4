import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { NetworkInterfaceInfo } from 'node:os';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../src/collector.js';
import { addressScope, netdevDefinition } from '../../src/collectors/netdev.js';
import { Paths } from '../../src/paths.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { fixturePath } from '../helpers/repo.js';
import { buildCollector, collectSeries, familySeries } from '../helpers/series.js';

const roots = { procfs: fixturePath('proc'), sysfs: fixturePath('sys') };
/** Our fixtures stand in for the exporter's own namespace (fixtures/proc/self/net/dev, fixtures/sys). */
const own = new Paths(roots);
const proc = { 'collector.netdev.netlink': false };

test('netdev, /proc/net/dev: legacy names, one series per device and column, all counters', async () => {
  const m = await collectSeries(netdevDefinition({ ownNamespace: own }), { roots, options: proc });
  assert.equal(m.size, 16 * 5);
  assert.equal(m.get('node_network_receive_bytes_total{device="eth0"}'), 12345678901234568);
  assert.equal(m.get('node_network_receive_errs_total{device="eth0"}'), 17);
  assert.equal(m.get('node_network_receive_drop_total{device="eth0"}'), 3304);
  assert.equal(m.get('node_network_receive_frame_total{device="eth0"}'), 41);
  assert.equal(m.get('node_network_transmit_drop_total{device="eth0"}'), 12);
  assert.equal(m.get('node_network_transmit_carrier_total{device="eth0"}'), 3);
  assert.equal(m.get('node_network_transmit_colls_total{device="veth3f2a1c9"}'), 0);
  assert.equal(familySeries(m, 'node_network_receive_nohandler_total').size, 0, '/proc/net/dev has no nohandler column');
});

test('netdev, /proc/net/dev: enable-detailed-metrics keeps the column names', async () => {
  const m = await collectSeries(netdevDefinition({ ownNamespace: own }), {
    roots,
    options: { ...proc, 'collector.netdev.enable-detailed-metrics': true, 'collector.netdev.device-include': '^eth0$' },
  });
  assert.deepEqual([...m.keys()].map((k) => k.replace(/^node_network_|_total\{.*$/g, '')).sort(), [
    'receive_bytes',
    'receive_compressed',
    'receive_dropped',
    'receive_errors',
    'receive_fifo',
    'receive_frame',
    'receive_multicast',
    'receive_packets',
    'transmit_bytes',
    'transmit_carrier',
    'transmit_colls',
    'transmit_compressed',
    'transmit_dropped',
    'transmit_errors',
    'transmit_fifo',
    'transmit_packets',
  ]);
});

test('netdev, netlink (default): our own namespace, not --path.procfs, with receive_nohandler', async () => {
  const m = await collectSeries(netdevDefinition({ ownNamespace: own }), { roots: { procfs: fixturePath('does-not-exist') } });
  assert.deepEqual(
    [...familySeries(m, 'node_network_receive_nohandler_total')],
    [
      ['node_network_receive_nohandler_total{device="lo"}', 0],
      ['node_network_receive_nohandler_total{device="eth0"}', 6],
    ],
  );
  assert.equal(m.size, 17 * 2);
  assert.equal(m.get('node_network_receive_drop_total{device="eth0"}'), 25);
  assert.equal(m.get('node_network_receive_frame_total{device="eth0"}'), 3);
  assert.equal(m.get('node_network_transmit_carrier_total{device="eth0"}'), 2);
});

test('netdev, netlink, detailed: every rtnl_link_stats64 counter under its netlink name', async () => {
  const m = await collectSeries(netdevDefinition({ ownNamespace: own }), {
    options: { 'collector.netdev.enable-detailed-metrics': true, 'collector.netdev.device-exclude': '^lo$' },
  });
  assert.equal(m.size, 24);
  assert.equal(m.get('node_network_receive_dropped_total{device="eth0"}'), 20);
  assert.equal(m.get('node_network_receive_missed_errors_total{device="eth0"}'), 5);
  assert.equal(m.get('node_network_receive_crc_errors_total{device="eth0"}'), 2);
  assert.equal(m.get('node_network_transmit_aborted_errors_total{device="eth0"}'), 1);
  assert.equal(m.get('node_network_collisions_total{device="eth0"}'), 0);
  assert.equal(m.get('node_network_multicast_total{device="eth0"}'), 0);
});

test('netdev: label-ifalias adds the sysfs ifalias to every series', async () => {
  const m = await collectSeries(netdevDefinition({ ownNamespace: own }), { roots, options: { 'collector.netdev.label-ifalias': true } });
  assert.equal(m.get('node_network_receive_packets_total{device="eth0",ifalias="uplink to core-sw1 port 17"}'), 10392);
  assert.equal(m.get('node_network_receive_packets_total{device="lo",ifalias=""}'), 71);
});

const iface = (address: string, cidr: string | null, family: 'IPv4' | 'IPv6' = address.includes(':') ? 'IPv6' : 'IPv4'): NetworkInterfaceInfo =>
  ({ address, cidr, family, netmask: '', mac: '00:00:00:00:00:00', internal: false, scopeid: 0 }) as NetworkInterfaceInfo;

test('netdev: address-info from the interfaces, filtered, with Go scopes and prefix lengths', async () => {
  const interfaces = () => ({
    lo: [iface('127.0.0.1', '127.0.0.1/8'), iface('::1', '::1/128')],
    eth0: [iface('192.168.10.20', '192.168.10.20/24'), iface('2001:db8::5', '2001:db8::5/64'), iface('fe80::3e52:82ff:fe0e:a170', 'fe80::3e52:82ff:fe0e:a170/64')],
    odd0: [iface('10.9.0.1', null)],
    veth3f2a1c9: [iface('172.17.0.1', '172.17.0.1/16')],
  });
  const m = await collectSeries(netdevDefinition({ ownNamespace: own, interfaces }), {
    options: { 'collector.netdev.address-info': true, 'collector.netdev.device-exclude': '^veth' },
  });
  assert.deepEqual(Object.fromEntries(familySeries(m, 'node_network_address_info')), {
    'node_network_address_info{address="127.0.0.1",device="lo",netmask="8",scope="link-local"}': 1,
    'node_network_address_info{address="::1",device="lo",netmask="128",scope="link-local"}': 1,
    'node_network_address_info{address="192.168.10.20",device="eth0",netmask="24",scope="global"}': 1,
    'node_network_address_info{address="2001:db8::5",device="eth0",netmask="64",scope="global"}': 1,
    'node_network_address_info{address="fe80::3e52:82ff:fe0e:a170",device="eth0",netmask="64",scope="link-local"}': 1,
  });
});

test('addressScope follows Go net.IP predicates', () => {
  const cases: [string, 'IPv4' | 'IPv6', string][] = [
    ['127.0.0.53', 'IPv4', 'link-local'],
    ['169.254.3.1', 'IPv4', 'link-local'],
    ['224.0.0.251', 'IPv4', 'link-local'],
    ['10.0.0.1', 'IPv4', 'global'],
    ['100.64.1.1', 'IPv4', 'global'],
    ['239.1.1.1', 'IPv4', ''],
    ['0.0.0.0', 'IPv4', ''],
    ['255.255.255.255', 'IPv4', ''],
    ['240.0.0.1', 'IPv4', 'global'],
    ['::1', 'IPv6', 'link-local'],
    ['fe80::1', 'IPv6', 'link-local'],
    ['febf::1', 'IPv6', 'link-local'],
    ['fec0::1', 'IPv6', 'global'],
    ['ff02::1', 'IPv6', 'link-local'],
    ['ff01::1', 'IPv6', 'interface-local'],
    ['ff05::2', 'IPv6', ''],
    ['::', 'IPv6', ''],
    ['fd00::1', 'IPv6', 'global'],
  ];
  assert.deepEqual(
    cases.map(([a, f]) => [a, f, addressScope(a, f)]),
    cases,
  );
});

test('netdev: upstream flag conflicts are configuration errors', () => {
  const build = (options: Record<string, string>) => buildCollector(netdevDefinition(), { options });
  assert.throws(() => build({ 'collector.netdev.device-include': 'a', 'collector.netdev.device-exclude': 'b' }), ConfigError);
  assert.throws(() => build({ 'collector.netdev.device-whitelist': 'a', 'collector.netdev.device-include': 'b' }), ConfigError);
  assert.throws(() => build({ 'collector.netdev.device-blacklist': 'a', 'collector.netdev.device-exclude': 'b' }), ConfigError);
  assert.throws(() => build({ 'collector.netdev.device-include': '(' }), ConfigError);
});

test('netdev: the deprecated whitelist still selects devices', async () => {
  const m = await collectSeries(netdevDefinition({ ownNamespace: own }), { roots, options: { ...proc, 'collector.netdev.device-whitelist': '^wlan' } });
  assert.deepEqual(new Set([...m.keys()].map((k) => /device="([^"]+)"/.exec(k)?.[1])), new Set(['wlan0']));
});

test('netdev: a missing or malformed net/dev fails the collector', async () => {
  await assert.rejects(
    collectSeries(netdevDefinition({ ownNamespace: own }), { roots: { procfs: fixturePath('does-not-exist') }, options: proc }),
    (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT',
  );
  const root = mkdtempSync(path.join(tmpdir(), 'nets-netdev-'));
  try {
    mkdirSync(path.join(root, 'net'));
    writeFileSync(path.join(root, 'net', 'dev'), 'h1\nh2\n  eth0: 1 2 3\n');
    await assert.rejects(
      collectSeries(netdevDefinition({ ownNamespace: own }), { roots: { procfs: root }, options: proc }),
      (e: unknown) => e instanceof ParseError && /net\/dev:3:/.test(e.message),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
