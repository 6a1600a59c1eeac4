import { test } from 'node:test';
import assert from 'node:assert/strict';
import { netclass, netclassDefinition } from '../../src/collectors/netclass.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { SyscallError } from '../../src/native.js';
import type { LinkModes } from '../../src/netlink/ethtool-linkmodes.js';
import { STATS64_FIELDS, type RtnlLink } from '../../src/netlink/link.js';
import { Paths } from '../../src/paths.js';
import type { NetClassNetlinkSources } from '../../src/read/net-class-netlink.js';
import { buildCollector, collectOnce, collectSeries, familySeries, seriesMap } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';

const base = { address: '', broadcast: '', altNames: [], mtu: 1500, link: 0, operstate: 0 };
const LINKS: RtnlLink[] = [
  {
    ...base,
    index: 2,
    type: 1,
    flags: 0x1003,
    name: 'eth0',
    address: '52:54:00:12:34:56',
    broadcast: 'ff:ff:ff:ff:ff:ff',
    alias: 'uplink',
    altNames: ['enp0s3', ''],
    operstate: 6,
    linkMode: 1,
    carrier: 1,
    carrierChanges: 3,
    carrierUpCount: 2,
    carrierDownCount: 1,
    group: 0,
    txQueueLen: 1000,
    stats64: new Map(STATS64_FIELDS.slice(0, 23).map((f, n) => [f, n + 1])),
  },
  { ...base, index: 1, type: 772, flags: 0x9, name: 'lo', mtu: 65536, operstate: 0, txQueueLen: 1000 },
  { ...base, index: 5, type: 1, flags: 0x1002, name: 'eth0.7', link: 2, operstate: 2 },
  { ...base, index: 6, type: 1, flags: 0, name: 'dmz0' },
];
const MODES: LinkModes[] = [
  { ifindex: 2, name: 'eth0', speedMegabits: 1000, duplex: 1, autoneg: 1 },
  { ifindex: 9, name: 'gone0', speedMegabits: 0xffffffff, duplex: 255, autoneg: 0 },
  { ifindex: 6, name: 'dmz0', speedMegabits: 10, duplex: 0, autoneg: 0 },
];
const ethtool = { id: 21, version: 1 };

/** The netclass collector in netlink mode, ignoring dmz*, over these links and modes unless o replaces a kernel call. */
function collector(o: NetClassNetlinkSources = {}, build: { withStats?: boolean; logger?: Logger } = {}) {
  const def = netclassDefinition({
    netlink: {
      ownNamespace: new Paths({ sysfs: fixturePath('sys') }),
      dumpLinks: async () => LINKS,
      resolveEthtool: async () => ethtool,
      dumpLinkModes: async () => MODES,
      ...o,
    },
  });
  const c = buildCollector(def, {
    logger: build.logger,
    options: { 'collector.netclass.netlink': true, 'collector.netclass.ignored-devices': 'dmz', 'collector.netclass_rtnl.with-stats': build.withStats ?? false },
  });
  return () => collectOnce(c);
}

test('netclass netlink: series per link, as upstream emits them', async () => {
  const m = seriesMap(await collector()());
  assert.deepEqual(
    familySeries(m, 'node_network_info'),
    new Map([
      ['node_network_info{address="52:54:00:12:34:56",broadcast="ff:ff:ff:ff:ff:ff",device="eth0",duplex="Full",ifalias="uplink",operstate="up"}', 1],
      ['node_network_info{address="",broadcast="",device="lo",duplex="",ifalias="",operstate="unknown"}', 1],
      ['node_network_info{address="",broadcast="",device="eth0.7",duplex="",ifalias="",operstate="down"}', 1],
    ]),
  );
  // Speed comes from every ethtool reply not ignored, even one whose link is gone from the dump.
  assert.deepEqual(
    familySeries(m, 'node_network_speed_bytes'),
    new Map([
      ['node_network_speed_bytes{device="eth0"}', 125000000],
      ['node_network_speed_bytes{device="gone0"}', 536870911875000],
    ]),
  );
  assert.deepEqual(familySeries(m, 'node_network_altnames_info'), new Map([['node_network_altnames_info{altname="enp0s3",device="eth0"}', 1]]));
  assert.deepEqual(
    familySeries(m, 'node_network_iface_link'),
    new Map([
      ['node_network_iface_link{device="eth0"}', 2],
      ['node_network_iface_link{device="lo"}', 1],
      ['node_network_iface_link{device="eth0.7"}', 2],
    ]),
  );
  // dormant repeats the link mode, as upstream's netlink branch does.
  assert.equal(m.get('node_network_dormant{device="eth0"}'), 1);
  assert.equal(m.get('node_network_up{device="eth0"}'), 1);
  assert.equal(m.get('node_network_up{device="lo"}'), 0);
  assert.equal(m.get('node_network_carrier_changes_total{device="eth0"}'), 3);
  assert.equal(m.has('node_network_carrier{device="lo"}'), false);
  assert.equal(m.has('node_network_net_dev_group{device="eth0.7"}'), false);
  // The sysfs-only attributes: lo's fixture has no name_assign_type; eth0.7 has no directory at all.
  assert.equal(m.get('node_network_name_assign_type{device="eth0"}'), 4);
  assert.equal(m.get('node_network_device_id{device="eth0"}'), 0);
  assert.equal(m.has('node_network_name_assign_type{device="lo"}'), false);
  assert.equal(m.get('node_network_address_assign_type{device="lo"}'), 0);
  assert.equal(
    [...m.keys()].some((k) => k.includes('eth0.7') && /assign_type|device_id/.test(k)),
    false,
  );
  assert.equal(
    [...m.keys()].some((k) => k.includes('dmz0')),
    false,
  );
  assert.equal(m.has('node_network_receive_bytes_total{device="eth0"}'), false);
});

test('netclass netlink: --collector.netclass_rtnl.with-stats adds IFLA_STATS64 counters (gauges), rx_nohandler 0 when the kernel lacks it', async () => {
  const families = await collector({}, { withStats: true })();
  const m = seriesMap(families);
  assert.equal(m.get('node_network_receive_packets_total{device="eth0"}'), 1);
  assert.equal(m.get('node_network_transmit_compressed_total{device="eth0"}'), 23);
  assert.equal(m.get('node_network_receive_nohandler_total{device="eth0"}'), 0);
  assert.equal(
    [...m.keys()].some((k) => k.startsWith('node_network_receive_bytes_total{device="lo"')),
    false,
  );
  assert.equal(families.find((f) => f.name === 'node_network_multicast_total')?.type, 'gauge');
  assert.equal([...m.keys()].filter((k) => k.endsWith('_total{device="eth0"}') && !k.startsWith('node_network_carrier')).length, 24);
});

test('netclass netlink: no ethtool family → one info line, no speed or duplex', async () => {
  const lines: string[] = [];
  const collect = collector({ resolveEthtool: async () => undefined }, { logger: createLogger('info', 'logfmt', (l) => lines.push(l)) });
  for (let i = 0; i < 2; i++) {
    const m = seriesMap(await collect());
    assert.equal(familySeries(m, 'node_network_speed_bytes').size, 0);
    assert.ok(m.has('node_network_info{address="52:54:00:12:34:56",broadcast="ff:ff:ff:ff:ff:ff",device="eth0",duplex="",ifalias="uplink",operstate="up"}'));
  }
  assert.equal(lines.length, 1);
  assert.match(lines[0] ?? '', /ETHTOOL netlink interface unavailable/);
  // ENOENT from the dump itself counts as "not there" too.
  const enoent = new SyscallError('netlink: no such file', { code: 'ENOENT', errno: 2, syscall: 'netlink' });
  assert.equal(familySeries(seriesMap(await collector({ dumpLinkModes: () => Promise.reject(enoent) })()), 'node_network_speed_bytes').size, 0);
});

test('netclass netlink: other kernel errors fail the collector', async () => {
  const eperm = new SyscallError('netlink: not permitted', { code: 'EPERM', errno: 1, syscall: 'netlink' });
  await assert.rejects(collector({ dumpLinkModes: () => Promise.reject(eperm) })(), /could not get link modes: netlink: not permitted/);
  await assert.rejects(collector({ dumpLinks: () => Promise.reject(eperm) })(), /could not get net class info/);
});

test("netclass --collector.netclass.netlink: asks this host's kernel, whatever --path.sysfs says", async (t) => {
  if (process.platform !== 'linux') return t.skip('Linux only: rtnetlink');
  const m = await collectSeries(netclass, { roots: { sysfs: fixturePath('does-not-exist') }, options: { 'collector.netclass.netlink': true } });
  assert.ok(m.has('node_network_iface_id{device="lo"}'), [...m.keys()].join('\n'));
  assert.equal(m.get('node_network_protocol_type{device="lo"}'), 772);
});
