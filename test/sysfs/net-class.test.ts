import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { NET_CLASS_ATTRIBUTES, NET_STATISTICS_KEYS, parseNetClassIface, parseNetStatistic, type NetClassIface } from '../../src/sysfs/net-class.js';
import { fixturePath } from '../helpers/repo.js';

const EMPTY = { address: '', broadcast: '', duplex: '', ifalias: '', operstate: '' };

const cases: { name: string; files: Record<string, string>; want?: Partial<NetClassIface>; error?: RegExp }[] = [
  { name: 'no attributes readable', files: {}, want: { name: 'eth0', ...EMPTY } },
  { name: 'invalid number', files: { mtu: '15OO\n' }, error: /invalid mtu "15OO" of eth0/ },
  { name: 'empty number', files: { carrier: '\n' }, error: /invalid carrier "" of eth0/ },
  { name: 'two numbers', files: { ifindex: '2 3\n' }, error: /ifindex/ },
  { name: 'beyond int64', files: { speed: '9223372036854775808\n' }, error: /speed/ },
  {
    name: 'valid: hex flags and dev_id, negative speed, trimmed strings, unknown files ignored',
    files: { flags: '0x1003\n', dev_id: '0x20\n', speed: '-1\n', mtu: '9000\n', operstate: 'up\n', ifalias: 'to core sw \n', uevent: 'INTERFACE=eth0\n' },
    want: { name: 'eth0', ...EMPTY, flags: 0x1003, devId: 32, speed: -1, mtu: 9000, operstate: 'up', ifalias: 'to core sw' },
  },
  { name: 'octal, as Go reads a leading 0', files: { netdev_group: '010\n' }, want: { name: 'eth0', ...EMPTY, netdevGroup: 8 } },
];

for (const c of cases) {
  test(`parseNetClassIface: ${c.name}`, () => {
    const files = new Map(Object.entries(c.files));
    if (c.error !== undefined)
      assert.throws(
        () => parseNetClassIface('eth0', files),
        (e: unknown) => e instanceof ParseError && c.error!.test(e.message),
      );
    else assert.deepEqual(parseNetClassIface('eth0', files), c.want);
  });
}

test('NET_CLASS_ATTRIBUTES: the attributes upstream reads, not the rest of the directory', () => {
  assert.ok(NET_CLASS_ATTRIBUTES.includes('carrier_down_count'));
  assert.ok(NET_CLASS_ATTRIBUTES.includes('ifalias'));
  for (const other of ['uevent', 'statistics', 'phys_port_id', 'constructor', 'proto_down']) assert.ok(!NET_CLASS_ATTRIBUTES.includes(other), other);
});

test('NET_STATISTICS_KEYS: the 24 rtnl_link_stats64 files under netlink names', () => {
  assert.equal(NET_STATISTICS_KEYS.size, 24);
  assert.equal(NET_STATISTICS_KEYS.get('rx_nohandler'), 'receive_nohandler');
  assert.equal(NET_STATISTICS_KEYS.get('tx_heartbeat_errors'), 'transmit_heartbeat_errors');
  assert.equal(NET_STATISTICS_KEYS.get('collisions'), 'collisions');
});

test('parseNetStatistic', () => {
  assert.equal(parseNetStatistic('18446744073709551615\n'), 2 ** 64);
  for (const bad of ['', '-1\n', '1 2\n', '0x10\n']) assert.throws(() => parseNetStatistic(bad), ParseError, bad);
});

test('fixture sys/class/net/eth0 (a symlink into devices/)', async () => {
  const dir = fixturePath('sys', 'class', 'net', 'eth0');
  const files = new Map<string, string>();
  for (const f of ['flags', 'speed', 'ifalias', 'dev_id', 'operstate']) files.set(f, await readAndParse(`${dir}/${f}`, (t) => t));
  assert.deepEqual(parseNetClassIface('eth0', files), {
    name: 'eth0',
    ...EMPTY,
    flags: 0x1003,
    speed: 10000,
    ifalias: 'uplink to core-sw1 port 17',
    devId: 0,
    operstate: 'up',
  });
  assert.equal(await readAndParse(`${dir}/statistics/rx_nohandler`, parseNetStatistic), 6);
});
