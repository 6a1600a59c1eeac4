import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIP, formatPrefix } from '../../src/netlink/ip.js';

const v6 = (hex: string) => Buffer.from(hex.replace(/:/g, ''), 'hex');

const ips: [string, Buffer | undefined, string][] = [
  ['absent', undefined, ''],
  ['empty', Buffer.alloc(0), ''],
  ['IPv4', Buffer.from([192, 0, 2, 1]), '192.0.2.1'],
  ['IPv6 all zero', Buffer.alloc(16), '::'],
  ['IPv6 loopback', v6('0000:0000:0000:0000:0000:0000:0000:0001'), '::1'],
  ['IPv6 trailing zeros', v6('fd00:0000:0000:0000:0000:0000:0000:0000'), 'fd00::'],
  ['IPv6 longest run wins', v6('2001:0db8:0000:0001:0000:0000:0000:0001'), '2001:db8:0:1::1'],
  ['IPv6 first of equal runs', v6('2001:0000:0000:0001:0000:0000:0001:0001'), '2001::1:0:0:1:1'],
  ['IPv6 single zero group not compressed', v6('2001:0db8:0000:0001:0001:0001:0001:0001'), '2001:db8:0:1:1:1:1:1'],
  ['IPv4-mapped IPv6 prints dotted', v6('0000:0000:0000:0000:0000:ffff:c000:0201'), '192.0.2.1'],
  ['odd length', Buffer.from([1, 2, 3]), '?010203'],
];
for (const [name, ip, want] of ips) test(`formatIP: ${name}`, () => assert.equal(formatIP(ip), want));

test('formatPrefix: default, v4, v6, unmasked host bits, impossible mask', () => {
  assert.equal(formatPrefix(undefined, 0), 'default');
  assert.equal(formatPrefix(Buffer.from([10, 1, 2, 0]), 24), '10.1.2.0/24');
  assert.equal(formatPrefix(Buffer.from([10, 1, 2, 7]), 24), '10.1.2.7/24');
  assert.equal(formatPrefix(v6('fe80:0000:0000:0000:0000:0000:0000:0000'), 64), 'fe80::/64');
  assert.equal(formatPrefix(v6('0000:0000:0000:0000:0000:ffff:c000:0200'), 120), '<nil>');
  assert.equal(formatPrefix(undefined, 8), '<nil>');
});
