import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { ConfigError, NoDataError } from '../../src/collector.js';
import { resolveFamily } from '../../src/netlink/genl.js';
import { addRoutes, networkRoute } from '../../src/collectors/network-route.js';
import { tcpStateCounts, tcpstat } from '../../src/collectors/tcpstat.js';
import type { Route } from '../../src/netlink/route-table.js';
import { qdisc } from '../../src/collectors/qdisc.js';
import { wifi } from '../../src/collectors/wifi.js';
import { buildCollector, collectOnce, collectSeries, familySeries, seriesMap } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';

const qdiscDir = fixturePath('netlink', 'qdisc');
const wifiDir = fixturePath('netlink', 'wifi');

test('qdisc: root qdiscs only, every counter, from the fixture', async () => {
  const m = await collectSeries(qdisc, { options: { 'collector.qdisc.fixtures': qdiscDir } });
  assert.deepEqual(
    familySeries(m, 'node_qdisc_bytes_total'),
    new Map([
      ['node_qdisc_bytes_total{device="enp3s0",kind="mq"}', 9007199254740992],
      ['node_qdisc_bytes_total{device="lo",kind="noqueue"}', 0],
      ['node_qdisc_bytes_total{device="wlp2s0",kind="fq_codel"}', 771245],
    ]),
  );
  assert.equal(m.get('node_qdisc_packets_total{device="enp3s0",kind="mq"}'), 4100273311);
  assert.equal(m.get('node_qdisc_drops_total{device="wlp2s0",kind="fq_codel"}'), 2);
  assert.equal(m.get('node_qdisc_requeues_total{device="enp3s0",kind="mq"}'), 305);
  assert.equal(m.get('node_qdisc_overlimits_total{device="wlp2s0",kind="fq_codel"}'), 4);
  assert.equal(m.get('node_qdisc_current_queue_length{device="wlp2s0",kind="fq_codel"}'), 3);
  assert.equal(m.get('node_qdisc_backlog{device="wlp2s0",kind="fq_codel"}'), 4542);
  assert.equal(m.size, 21);
});

test('qdisc: device include / exclude, deprecated spelling, conflicts', async () => {
  const inc = await collectSeries(qdisc, { options: { 'collector.qdisc.fixtures': qdiscDir, 'collector.qdisc.device-include': '^wl' } });
  assert.deepEqual([...familySeries(inc, 'node_qdisc_backlog').keys()], ['node_qdisc_backlog{device="wlp2s0",kind="fq_codel"}']);
  const exc = await collectSeries(qdisc, { options: { 'collector.qdisc.fixtures': qdiscDir, 'collector.qdisk.device-exclude': '^(lo|wl)' } });
  assert.deepEqual([...familySeries(exc, 'node_qdisc_backlog').keys()], ['node_qdisc_backlog{device="enp3s0",kind="mq"}']);
  assert.throws(() => buildCollector(qdisc, { options: { 'collector.qdisc.device-include': 'a', 'collector.qdisc.device-exclude': 'b' } }), ConfigError);
  assert.throws(() => buildCollector(qdisc, { options: { 'collector.qdisc.device-include': 'a', 'collector.qdisk.device-include': 'b' } }), ConfigError);
  assert.throws(() => buildCollector(qdisc, { options: { 'collector.qdisc.device-include': '(' } }), ConfigError);
});

test('qdisc: a missing fixture file fails the collector', async () => {
  await assert.rejects(collectOnce(buildCollector(qdisc, { options: { 'collector.qdisc.fixtures': fixturePath('netlink', 'nope') } })), /ENOENT|no such file/i);
});

test('wifi: interfaces, BSS and stations from the fixture', async () => {
  const m = await collectSeries(wifi, { options: { 'collector.wifi.fixtures': wifiDir } });
  assert.deepEqual(
    familySeries(m, 'node_wifi_interface_frequency_hertz'),
    new Map([
      ['node_wifi_interface_frequency_hertz{device="mesh0"}', 2437e6],
      ['node_wifi_interface_frequency_hertz{device="p2p-dev-wlp2s0"}', 0],
      ['node_wifi_interface_frequency_hertz{device="wlp2s0"}', 5180e6],
    ]),
  );
  assert.deepEqual(
    familySeries(m, 'node_wifi_station_info'),
    new Map([
      ['node_wifi_station_info{bssid="",device="mesh0",mode="ad-hoc",ssid=""}', 1],
      ['node_wifi_station_info{bssid="64:66:66:01:02:03",device="wlp2s0",mode="client",ssid="Home Net"}', 1],
    ]),
  );
  const st = (name: string) => m.get(`node_wifi_station_${name}{device="wlp2s0",mac_address="64:66:66:01:02:03"}`);
  assert.equal(st('connected_seconds_total'), 5400.5);
  assert.equal(st('inactive_seconds'), 0.012);
  assert.equal(st('receive_bits_per_second'), 866700000);
  assert.equal(st('transmit_bits_per_second'), 780000000);
  assert.equal(st('receive_bytes_total'), 6442450944);
  assert.equal(st('transmit_bytes_total'), 812345678);
  assert.equal(st('signal_dbm'), -61);
  assert.equal(st('transmit_retries_total'), 4123);
  assert.equal(st('transmit_failed_total'), 12);
  assert.equal(st('beacon_loss_total'), 3);
  assert.equal(st('transmitted_packets_total'), 1234567);
  assert.equal(st('received_packets_total'), 5123456);
  assert.equal(m.size, 3 + 2 + 12);
});

test('wifi: live over nl80211; a host without wireless drivers has no data', async (t) => {
  const families = await resolveFamily('nl80211');
  if (families !== undefined) return t.skip('this host has nl80211; covered by the parser tests');
  await assert.rejects(collectOnce(buildCollector(wifi)), (e: unknown) => e instanceof NoDataError && /no nl80211/.test(e.message));
});

test('wifi: a missing interfaces.json fails the collector, named', async () => {
  await assert.rejects(
    collectOnce(buildCollector(wifi, { options: { 'collector.wifi.fixtures': fixturePath('netlink', 'nope') } })),
    /failed to retrieve wifi interfaces: .*interfaces\.json/,
  );
});

// Live collectors: this host's own namespace (every Linux host has lo and its routes).
test('qdisc: live over netlink, lo has a root qdisc', async () => {
  const m = await collectSeries(qdisc);
  assert.ok(
    [...m.keys()].some((k) => k.startsWith('node_qdisc_packets_total{device="lo",')),
    [...m.keys()].join('\n'),
  );
});

test('tcpstat: live, a listening socket of ours is counted', async () => {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const m = await collectSeries(tcpstat, { roots: { procfs: '/proc' } });
    assert.ok((m.get('node_tcp_connection_states{state="listen"}') ?? 0) >= 1);
    assert.ok(m.has('node_tcp_connection_states{state="tx_queued_bytes"}'));
  } finally {
    server.close();
  }
});

test('network_route: live, counts agree with route_info', async () => {
  const m = await collectSeries(networkRoute);
  const info = [...familySeries(m, 'node_network_route_info').keys()];
  const total = [...familySeries(m, 'node_network_routes').values()].reduce((a, b) => a + b, 0);
  assert.equal(total, info.length);
  for (const k of info) assert.match(k, /^node_network_route_info\{dest="[^"]+",device="[^"]*",gw="[^"]*",priority="\d+",proto="[a-z]+",src="[^"]*",weight="\d*"\}$/);
});

test('tcpStateCounts: states named as upstream, queued bytes summed, unnamed states one "unknown"', () => {
  const got = tcpStateCounts([
    { state: 10, rqueue: 0, wqueue: 0 },
    { state: 1, rqueue: 12, wqueue: 3400 },
    { state: 1, rqueue: 0, wqueue: 600 },
    { state: 6, rqueue: 0, wqueue: 0 },
    // NEW_SYN_RECV (12) shares its key with rx_queued_bytes in upstream's numbering.
    { state: 12, rqueue: 0, wqueue: 0 },
    { state: 0, rqueue: 0, wqueue: 0 },
    { state: 14, rqueue: 0, wqueue: 0 },
  ]);
  assert.deepEqual(Object.fromEntries(got), {
    listen: 1,
    established: 2,
    time_wait: 1,
    rx_queued_bytes: 13,
    tx_queued_bytes: 4000,
    unknown: 2,
  });
  assert.deepEqual(tcpStateCounts([]), new Map());
});

test('addRoutes: unicast only, multipath per hop with weight, names through links', async () => {
  const ip = (...b: number[]) => Buffer.from(b);
  const routes: Route[] = [
    { family: 2, dstLength: 0, table: 254, protocol: 16, type: 1, oif: 4, priority: 100, multipath: [], gateway: ip(192, 0, 2, 1) },
    { family: 2, dstLength: 24, table: 254, protocol: 2, type: 1, oif: 4, priority: 0, multipath: [], dst: ip(192, 0, 2, 0), prefsrc: ip(192, 0, 2, 2) },
    {
      family: 2,
      dstLength: 16,
      table: 254,
      protocol: 186,
      type: 1,
      oif: 0,
      priority: 20,
      dst: ip(10, 9, 0, 0),
      multipath: [
        { ifindex: 4, hops: 0, gateway: ip(192, 0, 2, 1) },
        { ifindex: 9, hops: 2, gateway: ip(198, 51, 100, 1) },
      ],
    },
    { family: 2, dstLength: 32, table: 255, protocol: 2, type: 2, oif: 1, priority: 0, multipath: [], dst: ip(127, 0, 0, 1) },
    { family: 10, dstLength: 64, table: 254, protocol: 99, type: 1, oif: 4, priority: 256, multipath: [], dst: Buffer.from('fe800000000000000000000000000000', 'hex') },
  ];
  const m = seriesMap(
    await collectOnce({
      collect: async (_ctx, out) =>
        addRoutes(
          out,
          routes,
          new Map([
            [1, 'lo'],
            [4, 'eth0'],
          ]),
        ),
    }),
  );
  assert.deepEqual(Object.fromEntries(m), {
    'node_network_route_info{dest="default",device="eth0",gw="192.0.2.1",priority="100",proto="dhcp",src="",weight=""}': 1,
    'node_network_route_info{dest="192.0.2.0/24",device="eth0",gw="",priority="0",proto="kernel",src="192.0.2.2",weight=""}': 1,
    'node_network_route_info{dest="10.9.0.0/16",device="eth0",gw="192.0.2.1",priority="20",proto="bgp",src="",weight="1"}': 1,
    'node_network_route_info{dest="10.9.0.0/16",device="",gw="198.51.100.1",priority="20",proto="bgp",src="",weight="3"}': 1,
    'node_network_route_info{dest="fe80::/64",device="eth0",gw="",priority="256",proto="unknown",src="",weight=""}': 1,
    'node_network_routes{device="eth0"}': 4,
    'node_network_routes{device=""}': 1,
  });
});
