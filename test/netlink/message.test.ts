import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  attrString,
  attrUint,
  dumpMessages,
  encodeAttribute,
  encodeMessage,
  NetlinkError,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSG_NOOP,
  parseAttributes,
  splitMessages,
} from '../../src/netlink/message.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { i32, u32 } from './bytes.js';

test('splitMessages: several messages per datagram, padded to 4 bytes', () => {
  const d = Buffer.concat([encodeMessage(16, 2, 7, Buffer.from('abcde')), encodeMessage(NLMSG_DONE, 2, 7, i32(0))]);
  const ms = splitMessages(d);
  assert.equal(ms.length, 2);
  assert.deepEqual(
    ms.map((m) => [m.type, m.flags, m.seq]),
    [
      [16, 2, 7],
      [NLMSG_DONE, 2, 7],
    ],
  );
  assert.equal(ms[0]?.data.toString(), 'abcde');
});

const splitErrors: { name: string; datagram: Buffer; error: RegExp }[] = [
  { name: 'length below the header', datagram: Buffer.concat([u32(8), Buffer.alloc(12)]), error: /length 8 outside/ },
  { name: 'length past the datagram', datagram: Buffer.concat([u32(64), Buffer.alloc(12)]), error: /length 64 outside the 16-byte/ },
  { name: 'trailing bytes', datagram: Buffer.concat([encodeMessage(16, 0, 1, Buffer.alloc(0)), Buffer.alloc(3)]), error: /3 trailing bytes/ },
];
for (const c of splitErrors) {
  test(`splitMessages: ${c.name}`, () => {
    assert.throws(
      () => splitMessages(c.datagram),
      (err: unknown) => err instanceof ParseError && c.error.test(err.message),
    );
  });
}

test('splitMessages: an empty datagram has no messages', () => {
  assert.deepEqual(splitMessages(Buffer.alloc(0)), []);
});

test('dumpMessages: stops at NLMSG_DONE across datagrams, skips NOOP', () => {
  const a = Buffer.concat([encodeMessage(16, 2, 1, Buffer.from([1])), encodeMessage(NLMSG_NOOP, 0, 1, Buffer.alloc(0))]);
  const b = Buffer.concat([encodeMessage(16, 2, 1, Buffer.from([2])), encodeMessage(NLMSG_DONE, 2, 1, i32(0)), encodeMessage(16, 2, 1, Buffer.from([3]))]);
  assert.deepEqual(
    dumpMessages([a, b]).map((m) => m.data[0]),
    [1, 2],
  );
});

test('dumpMessages: NLMSG_ERROR with an errno throws NetlinkError; a short one is malformed', () => {
  assert.throws(
    () => dumpMessages([encodeMessage(NLMSG_ERROR, 0, 1, Buffer.concat([i32(-95), Buffer.alloc(16)]))]),
    (err: unknown) => err instanceof NetlinkError && err.errno === 95,
  );
  assert.throws(() => dumpMessages([encodeMessage(NLMSG_ERROR, 0, 1, Buffer.alloc(2))]), ParseError);
  assert.deepEqual(dumpMessages([encodeMessage(NLMSG_ERROR, 0, 1, i32(0))]), []);
});

test('parseAttributes: padding, nlattr flag bits masked, nested values left raw', () => {
  const nested = encodeAttribute(0x8000 | 7, Buffer.concat([encodeAttribute(1, Buffer.alloc(12, 1))]));
  const attrs = parseAttributes(Buffer.concat([encodeAttribute(1, Buffer.from('fq\0')), nested]));
  assert.deepEqual(
    attrs.map((a) => a.type),
    [1, 7],
  );
  assert.equal(attrString(attrs[0]!.data), 'fq');
  assert.deepEqual(
    parseAttributes(attrs[1]!.data).map((a) => [a.type, a.data.length]),
    [[1, 12]],
  );
});

test('parseAttributes: malformed lengths', () => {
  assert.throws(() => parseAttributes(Buffer.from([2, 0, 1, 0])), /length 2 outside/);
  assert.throws(() => parseAttributes(Buffer.from([9, 0, 1, 0, 0, 0, 0, 0])), /length 9 outside 8 bytes/);
  assert.throws(() => parseAttributes(Buffer.from([4, 0, 1, 0, 0, 0])), /2 trailing bytes/);
  assert.deepEqual(parseAttributes(Buffer.alloc(0)), []);
});

test('attrUint: 1/2/4/8 bytes, 64-bit beyond 2^53, other sizes rejected', () => {
  assert.equal(attrUint(Buffer.from([7]), 'x'), 7);
  assert.equal(attrUint(Buffer.from([1, 1]), 'x'), 257);
  assert.equal(attrUint(u32(0xffffffff), 'x'), 0xffffffff);
  const big = Buffer.alloc(8);
  big.writeBigUInt64LE(2n ** 60n + 1n);
  assert.equal(attrUint(big, 'x'), 2 ** 60);
  assert.throws(() => attrUint(Buffer.alloc(3), 'bytes'), /bytes: 3-byte integer/);
  assert.equal(attrString(Buffer.from('noterm')), 'noterm');
});
