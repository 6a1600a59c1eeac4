import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIpv6, parseIpvsBackends, parseIpvsStats } from '../../src/procfs/ipvs.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const HEADER = 'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port Forward Weight ActiveConn InActConn\n';
const STATS_HEAD = '   Total Incoming Outgoing         Incoming         Outgoing\n   Conns  Packets  Packets            Bytes            Bytes\n';

const statsCases: { name: string; text: string; want?: number[]; error?: RegExp }[] = [
  { name: 'empty', text: '', error: /too short/ },
  { name: 'truncated after the totals', text: `${STATS_HEAD} 1 2 3 4 5`, error: /too short/ },
  { name: 'too few fields', text: `${STATS_HEAD} 1 2 3 4\n\n`, error: /4 fields, want 5/ },
  { name: 'invalid number', text: `${STATS_HEAD} 1 2 3 4 XYZ\n\n`, error: /outgoing bytes "XYZ"/ },
  { name: 'unknown extra field', text: `${STATS_HEAD} 1 2 3 4 5 6\n\n`, error: /6 fields/ },
  {
    name: 'valid: hexadecimal, 64-bit',
    text: `${STATS_HEAD} 16AA370 E33656E5 0 51D8C8883AB3 FFFFFFFFFFFFFFFF\n\n rates\n`,
    want: [0x16aa370, 0xe33656e5, 0, 0x51d8c8883ab3, 2 ** 64],
  },
];
for (const c of statsCases) {
  test(`parseIpvsStats: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseIpvsStats(c.text),
        (e: unknown) => e instanceof ParseError && c.error!.test(e.message),
      );
      return;
    }
    const s = parseIpvsStats(c.text);
    assert.deepEqual([s.connections, s.incomingPackets, s.outgoingPackets, s.incomingBytes, s.outgoingBytes], c.want);
  });
}

const backendCases: { name: string; text: string; want?: string[]; error?: RegExp }[] = [
  { name: 'empty', text: '', want: [] },
  { name: 'headers only', text: HEADER, want: [] },
  { name: 'truncated real-server line is skipped', text: `${HEADER}TCP  C0A80016:0CEA wlc\n  -> C0A85216:0CEA Tunnel 100\n`, want: [] },
  { name: 'invalid number', text: `${HEADER}TCP  C0A80016:0CEA wlc\n  -> C0A85216:0CEA Tunnel x 1 2\n`, error: /weight "x"/ },
  { name: 'invalid address', text: `${HEADER}TCP  C0A800:0CEA wlc\n`, error: /unexpected address/ },
  {
    name: 'valid: TCP, IPv6 with a v4-mapped server, FWM; extra columns ignored',
    text: `${HEADER}TCP  C0A80016:0CEA wlc\n  -> C0A85216:0CEA      Tunnel  100    248        2    extra\nTCP  [2001:0db8:0000:0000:0000:0000:0000:0001]:0050 rr\n  -> [0000:0000:0000:0000:0000:ffff:c0a8:0001]:0050 Masq 1 2 3\nFWM  10001000 wlc\n  -> C0A8321A:0CEA      Tunnel  20     64         1\n`,
    want: ['TCP 192.168.0.22:3306  -> 192.168.82.22:3306 w100 a248 i2', 'TCP 2001:db8::1:80  -> 192.168.0.1:80 w1 a2 i3', 'FWM :0 10001000 -> 192.168.50.26:3306 w20 a64 i1'],
  },
];
for (const c of backendCases) {
  test(`parseIpvsBackends: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseIpvsBackends(c.text),
        (e: unknown) => e instanceof ParseError && c.error!.test(e.message),
      );
      return;
    }
    const got = parseIpvsBackends(c.text).map(
      (b) => `${b.proto} ${b.localAddress}:${b.localPort} ${b.localMark} -> ${b.remoteAddress}:${b.remotePort} w${b.weight} a${b.activeConn} i${b.inactConn}`,
    );
    assert.deepEqual(got, c.want);
  });
}

test('formatIpv6 prints as Go does: longest zero run, first on ties, no single-group ::', () => {
  assert.equal(formatIpv6([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1]), '2001:db8::1:0:0:1');
  assert.equal(formatIpv6([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1]), '2001:db8:0:1:1:1:1:1');
  assert.equal(formatIpv6([0, 0, 0, 0, 0, 0, 0, 0]), '::');
  assert.equal(formatIpv6([0, 0, 0, 0, 0, 0, 0, 1]), '::1');
  assert.equal(formatIpv6([0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001]), '10.0.0.1');
});

test('ip_vs fixtures read through readAndParse', async () => {
  const stats = await readAndParse(fixturePath('proc', 'net', 'ip_vs_stats'), parseIpvsStats);
  assert.equal(stats.incomingBytes, 2 ** 53);
  const backends = await readAndParse(fixturePath('proc', 'net', 'ip_vs'), parseIpvsBackends);
  assert.equal(backends.length, 7);
  assert.deepEqual(new Set(backends.map((b) => b.proto)), new Set(['TCP', 'UDP', 'FWM']));
});
