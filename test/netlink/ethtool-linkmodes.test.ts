import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duplexName, linkModesRequestAttributes, parseLinkModes } from '../../src/netlink/ethtool-linkmodes.js';
import { genlRequest, parseGenlDump } from '../../src/netlink/genl.js';
import { encodeAttribute as attr, encodeMessage, NLMSG_DONE, parseAttributes } from '../../src/netlink/message.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { i32, u32 } from './bytes.js';

const ETHTOOL_ID = 21;
const u8 = (v: number) => Buffer.from([v]);
const header = (index: number, name: string) => attr(1 | 0x8000, Buffer.concat([attr(1, u32(index)), attr(2, Buffer.from(`${name}\0`))]));
// A compact bitset: NOMASK flag, size, value words.
const bitset = attr(3 | 0x8000, Buffer.concat([attr(1, Buffer.alloc(0)), attr(2, u32(64)), attr(4, Buffer.alloc(8, 0x0f))]));

/** One LINKMODES_GET_REPLY datagram of the ethtool family, as the kernel frames it. */
const reply = (...attributes: Buffer[]) => encodeMessage(ETHTOOL_ID, 2, 1, genlRequest(4, 1, attributes));
const done = encodeMessage(NLMSG_DONE, 2, 1, i32(0));

test('linkModesRequestAttributes: a nested header asking for compact bitsets', () => {
  const [h, ...rest] = linkModesRequestAttributes();
  assert.equal(rest.length, 0);
  assert.ok(h !== undefined);
  assert.equal(h.readUInt16LE(2), 1 | 0x8000);
  assert.deepEqual(
    parseAttributes(h.subarray(4)).map((a) => [a.type, [...a.data]]),
    [[3, [1, 0, 0, 0]]],
  );
});

test('parseLinkModes: speed, duplex, autoneg per device; SPEED_UNKNOWN stays unsigned', () => {
  const datagram = Buffer.concat([
    reply(header(4, 'eth0'), attr(2, u8(1)), bitset, bitset, attr(5, u32(10000)), attr(6, u8(1)), attr(9, u32(0))),
    reply(header(7, 'enp2s0'), attr(2, u8(0)), attr(5, u32(0xffffffff)), attr(6, u8(255))),
    reply(header(8, 'veth0')),
    done,
  ]);
  assert.deepEqual(parseLinkModes(parseGenlDump([datagram], ETHTOOL_ID)), [
    { ifindex: 4, name: 'eth0', speedMegabits: 10000, duplex: 1, autoneg: 1 },
    { ifindex: 7, name: 'enp2s0', speedMegabits: 4294967295, duplex: 255, autoneg: 0 },
    { ifindex: 8, name: 'veth0', speedMegabits: 0, duplex: 0, autoneg: 0 },
  ]);
  assert.deepEqual(parseLinkModes([]), []);
});

test('parseLinkModes: malformed attributes fail the dump', () => {
  const cases: [string, Buffer, RegExp][] = [
    ['2-byte speed', reply(header(1, 'a'), attr(5, Buffer.from([1, 0]))), /SPEED is 2 bytes, want 4/],
    ['4-byte duplex', reply(header(1, 'a'), attr(6, u32(1))), /DUPLEX is 4 bytes, want 1/],
    ['2-byte index', reply(attr(1, attr(1, Buffer.from([1, 0])))), /DEV_INDEX is 2 bytes/],
    ['truncated header nest', reply(attr(1, Buffer.from([8, 0, 1, 0, 1]))), /length 8 outside/],
    ['broken bitset framing', reply(header(1, 'a'), attr(3, Buffer.from([3, 0, 1, 0]))), /length 3 outside/],
  ];
  for (const [name, datagram, want] of cases) {
    assert.throws(
      () => parseLinkModes(parseGenlDump([datagram, done], ETHTOOL_ID)),
      (e: unknown) => e instanceof ParseError && want.test(e.message),
      name,
    );
  }
  assert.throws(() => parseGenlDump([encodeMessage(ETHTOOL_ID, 2, 1, Buffer.alloc(3))], ETHTOOL_ID), /3-byte message/);
});

test("duplexName: the names upstream's library gives", () => {
  assert.deepEqual([0, 1, 255, 7].map(duplexName), ['Half', 'Full', 'Unknown', 'Duplex(7)']);
});
