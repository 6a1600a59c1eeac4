import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFamilyDump, parseGenlDump, genlRequest, type GenlMessage } from '../../src/netlink/genl.js';
import { encodeAttribute as attr, encodeMessage, NLMSG_DONE } from '../../src/netlink/message.js';
import { parseBss, parseInterfaces, parseStations } from '../../src/netlink/nl80211.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { u16, u32, u64 } from './bytes.js';

const msg = (...attributes: Buffer[]): GenlMessage => ({
  command: 0,
  version: 1,
  attributes: attributes.map((a) => ({ type: a.readUInt16LE(2) & 0x3fff, data: a.subarray(4, a.readUInt16LE(0)) })),
});
const mac = Buffer.from([0x64, 0x66, 0x66, 1, 2, 3]);

test('genl: family dump and message header', () => {
  const fam = (id: number, name: string, version: number) =>
    encodeMessage(16, 2, 1, genlRequest(1, 2, [attr(2, Buffer.from(`${name}\0`)), attr(1, u16(id)), attr(3, u32(version))]));
  const got = parseFamilyDump([Buffer.concat([fam(16, 'nlctrl', 2), fam(28, 'nl80211', 1)]), encodeMessage(NLMSG_DONE, 2, 1, u32(0))]);
  assert.deepEqual(
    got,
    new Map([
      ['nlctrl', { id: 16, version: 2 }],
      ['nl80211', { id: 28, version: 1 }],
    ]),
  );
  assert.throws(
    () => parseGenlDump([encodeMessage(28, 2, 1, Buffer.alloc(2))], 28),
    (e: unknown) => e instanceof ParseError && /2-byte message/.test(e.message),
  );
  assert.deepEqual([...genlRequest(5, 1)], [5, 1, 0, 0]);
});

test('parseInterfaces: name, index, type, MHz, MAC; a nameless P2P device too', () => {
  const got = parseInterfaces([msg(attr(3, u32(3)), attr(4, Buffer.from('wlp2s0\0')), attr(5, u32(2)), attr(6, mac), attr(38, u32(5180))), msg(attr(5, u32(10)))]);
  assert.deepEqual(got, [
    { index: 3, name: 'wlp2s0', mac, type: 2, frequency: 5180 },
    { index: 0, name: '', mac: Buffer.alloc(0), type: 10, frequency: 0 },
  ]);
  assert.throws(() => parseInterfaces([msg(attr(38, u16(5180)))]), /WIPHY_FREQ: 2-byte/);
});

test('parseBss: the entry with a status, SSID from the information elements', () => {
  const ies = Buffer.concat([Buffer.from([0, 8]), Buffer.from('Home Net'), Buffer.from([1, 2, 0x82, 0x84])]);
  const scanned = attr(47, Buffer.concat([attr(1, Buffer.from([9, 9, 9, 9, 9, 9])), attr(6, Buffer.from([0, 3, 0x61, 0x62, 0x63]))]));
  const ours = attr(47, Buffer.concat([attr(1, mac), attr(6, ies), attr(9, u32(1))]));
  assert.deepEqual(parseBss([msg(attr(3, u32(3)), scanned), msg(attr(3, u32(3)), ours)]), { ssid: 'Home Net', bssid: '64:66:66:01:02:03', status: 1 });
  assert.equal(parseBss([msg(scanned)]), undefined);
  assert.equal(parseBss([]), undefined);
  assert.throws(() => parseBss([msg(attr(47, Buffer.concat([attr(9, u32(1)), attr(6, Buffer.from([0, 9, 0x61]))])))]), /information element at byte 0/);
});

test('parseStations: counters, 64-bit bytes preferred, bitrates in bit/s, signed signal', () => {
  const rate = (r16: number, r32?: number) => Buffer.concat([attr(1, u16(r16)), ...(r32 === undefined ? [] : [attr(5, u32(r32))])]);
  const info = attr(
    21,
    Buffer.concat([
      attr(1, u32(1500)),
      attr(2, u32(1234)),
      attr(3, u32(99)),
      attr(7, Buffer.from([0xc3])),
      attr(8, rate(7800, 7800)),
      attr(9, u32(5123456)),
      attr(10, u32(1234567)),
      attr(11, u32(4123)),
      attr(12, u32(12)),
      attr(14, rate(8667)),
      attr(16, u32(5400)),
      attr(18, u32(3)),
      attr(23, u64(6442450944n)),
      attr(24, u64(812345678n)),
    ]),
  );
  assert.deepEqual(parseStations([msg(attr(3, u32(3)), attr(6, mac), info)]), [
    {
      hardwareAddr: '64:66:66:01:02:03',
      connectedSeconds: 5400,
      inactiveSeconds: 1.5,
      receivedBytes: 6442450944,
      transmittedBytes: 812345678,
      receivedPackets: 5123456,
      transmittedPackets: 1234567,
      receiveBitrate: 866700000,
      transmitBitrate: 780000000,
      signal: -61,
      transmitRetries: 4123,
      transmitFailed: 12,
      beaconLoss: 3,
    },
  ]);
  const only32 = parseStations([msg(attr(6, mac), attr(21, Buffer.concat([attr(2, u32(1234)), attr(3, u32(99))])))]);
  assert.deepEqual([only32?.[0]?.receivedBytes, only32?.[0]?.transmittedBytes], [1234, 99]);
  assert.equal(parseStations([msg(attr(6, mac))]), undefined);
  assert.deepEqual(parseStations([]), []);
  assert.throws(() => parseStations([msg(attr(21, attr(7, Buffer.alloc(0))))]), /SIGNAL: empty/);
});
