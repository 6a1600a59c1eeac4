import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLinkDetailsDump, parseLinkMessage, STATS64_FIELDS } from '../../src/netlink/link.js';
import { encodeAttribute as attr, encodeMessage, NLMSG_DONE, NLMSG_ERROR } from '../../src/netlink/message.js';
import { RTM_NEWLINK } from '../../src/netlink/route.js';
import { NetlinkError } from '../../src/netlink/message.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { i32, u32, u64 } from './bytes.js';

const u8 = (v: number) => Buffer.from([v]);
const str = (s: string) => Buffer.from(`${s}\0`);

/** ifinfomsg: family, pad, ARPHRD type, index, IFF flags, change mask. */
function ifinfo(type: number, index: number, flags: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(type, 2);
  b.writeUInt32LE(index, 4);
  b.writeUInt32LE(flags, 8);
  b.writeUInt32LE(0xffffffff, 12);
  return b;
}

/** rtnl_link_stats64 with counter n = base + n, `count` counters long. */
function stats(count: number, base = 100n): Buffer {
  return Buffer.concat(Array.from({ length: count }, (_, n) => u64(base + BigInt(n))));
}

// What a 6.x kernel sends for a virtio NIC, in its attribute order (trimmed of the ones we skip).
const eth0Attrs = [
  attr(3, str('eth0')),
  attr(13, u32(1000)),
  attr(16, u8(6)),
  attr(17, u8(0)),
  attr(4, u32(1400)),
  attr(27, u32(0)),
  attr(31, u32(1)),
  attr(33, u8(1)),
  attr(6, str('pfifo_fast')),
  attr(35, u32(2)),
  attr(47, u32(1)),
  attr(48, u32(1)),
  attr(1, Buffer.from([0x02, 0xfc, 0, 0, 0, 1])),
  attr(2, Buffer.alloc(6, 0xff)),
  attr(23, stats(25)),
  attr(52 | 0x8000, Buffer.concat([attr(53, str('enp0s4')), attr(53, str(''))])),
  attr(20, str('uplink')),
];
const eth0 = encodeMessage(RTM_NEWLINK, 2, 1, Buffer.concat([ifinfo(1, 4, 0x11043), ...eth0Attrs]));
// A VLAN on eth0: IFLA_LINK names its lower device; no carrier counters, an old 24-counter IFLA_STATS64.
const vlan = encodeMessage(
  RTM_NEWLINK,
  2,
  1,
  Buffer.concat([ifinfo(1, 9, 0x1003), attr(3, str('eth0.10')), attr(5, u32(4)), attr(4, u32(1400)), attr(16, u8(2)), attr(23, stats(24, 2n ** 60n))]),
);
const done = encodeMessage(NLMSG_DONE, 2, 1, i32(0));

test('parseLinkDetailsDump: every attribute we report, in kernel layout', () => {
  const links = parseLinkDetailsDump([Buffer.concat([eth0, vlan]), done]);
  assert.equal(links.length, 2);
  const [a, b] = links;
  assert.ok(a !== undefined && b !== undefined);
  const { stats64, ...rest } = a;
  assert.deepEqual(rest, {
    index: 4,
    type: 1,
    flags: 0x11043,
    name: 'eth0',
    address: '02:fc:00:00:00:01',
    broadcast: 'ff:ff:ff:ff:ff:ff',
    alias: 'uplink',
    altNames: ['enp0s4', ''],
    mtu: 1400,
    link: 0,
    txQueueLen: 1000,
    operstate: 6,
    linkMode: 0,
    carrier: 1,
    carrierChanges: 2,
    carrierUpCount: 1,
    carrierDownCount: 1,
    group: 0,
  });
  assert.deepEqual(
    [...(stats64 ?? [])],
    STATS64_FIELDS.map((f, n) => [f, 100 + n]),
  );
  assert.equal(b.link, 4);
  assert.equal(b.operstate, 2);
  assert.equal(b.address, '');
  assert.equal(b.carrier, undefined);
  assert.equal(b.alias, undefined);
  // Older kernels stop before rx_otherhost_dropped; counters past 2^53 come out as the nearest double.
  assert.equal(b.stats64?.get('rx_nohandler'), 2 ** 60 + 23);
  assert.equal(b.stats64?.has('rx_otherhost_dropped'), false);
});

test('parseLinkDetailsDump: other message types skipped, empty dump, kernel error', () => {
  assert.deepEqual(parseLinkDetailsDump([done]), []);
  assert.deepEqual(parseLinkDetailsDump([Buffer.concat([encodeMessage(1, 0, 1, Buffer.alloc(0)), encodeMessage(20, 2, 1, Buffer.alloc(8)), done])]), []);
  assert.throws(
    () => parseLinkDetailsDump([encodeMessage(NLMSG_ERROR, 0, 1, i32(-1))]),
    (e: unknown) => e instanceof NetlinkError && e.errno === 1,
  );
});

const one = (...attrs: Buffer[]) => Buffer.concat([ifinfo(1, 2, 0), attr(3, str('dev')), ...attrs]);

test('parseLinkMessage: malformed or truncated input', () => {
  const cases: [string, Buffer, RegExp][] = [
    ['empty', Buffer.alloc(0), /0-byte message, want 16/],
    ['truncated ifinfomsg', Buffer.alloc(12), /12-byte message/],
    ['no name', ifinfo(1, 7, 0), /link 7: no IFLA_IFNAME/],
    ['attribute overruns the message', Buffer.concat([one(), Buffer.from([0x20, 0, 4, 0, 1, 2, 3, 4])]), /length 32 outside/],
    ['attribute shorter than its header', Buffer.concat([one(), Buffer.from([2, 0, 4, 0])]), /length 2 outside/],
    ['trailing bytes', Buffer.concat([one(), Buffer.from([1, 2])]), /2 trailing bytes/],
    ['2-byte MTU', one(attr(4, Buffer.from([0xdc, 5]))), /IFLA_MTU is 2 bytes, want 4/],
    ['4-byte operstate', one(attr(16, u32(6))), /IFLA_OPERSTATE is 4 bytes, want 1/],
    ['operstate past IF_OPER_UP', one(attr(16, u8(7))), /unknown IFLA_OPERSTATE 7/],
    ['3-byte address', one(attr(1, Buffer.from([1, 2, 3]))), /IFLA_ADDRESS is 3 bytes, want 4 to 32/],
    ['33-byte broadcast', one(attr(2, Buffer.alloc(33))), /IFLA_BROADCAST is 33 bytes/],
    ['short IFLA_STATS64', one(attr(23, stats(22))), /IFLA_STATS64 is 176 bytes/],
    ['IFLA_STATS64 not whole counters', one(attr(23, Buffer.alloc(188))), /IFLA_STATS64 is 188 bytes/],
    ['broken property list', one(attr(52, Buffer.from([9, 0, 53, 0, 0x61]))), /length 9 outside/],
  ];
  for (const [name, data, want] of cases) {
    assert.throws(
      () => parseLinkMessage(data),
      (e: unknown) => e instanceof ParseError && want.test(e.message),
      name,
    );
  }
});

test('parseLinkMessage: unknown attributes ignored, defaults when the kernel leaves things out', () => {
  const link = parseLinkMessage(one(attr(60, Buffer.from([1, 2, 3])), attr(4, u32(9000)), attr(1, Buffer.from([10, 0, 0, 1]))));
  assert.deepEqual(link, { index: 2, type: 1, flags: 0, name: 'dev', address: '0a:00:00:01', broadcast: '', altNames: [], mtu: 9000, link: 0, operstate: 0 });
});
