import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNetstatPairs, parseSnmp6, type NetstatCounters } from '../../src/procfs/net-netstat.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const plain = (c: NetstatCounters) => Object.fromEntries([...c].map(([p, m]) => [p, Object.fromEntries(m)]));

const pairs: { name: string; text: string; want?: Record<string, Record<string, number>>; error?: RegExp }[] = [
  { name: 'empty', text: '', want: {} },
  { name: 'names line without values line', text: 'Tcp: RtoMin MaxConn\n', error: /no values line/ },
  { name: 'too few values', text: 'Tcp: RtoMin MaxConn\nTcp: 200\n', error: /2 names but 1 values/ },
  { name: 'values of another protocol', text: 'Tcp: RtoMin\nUdp: 200\n', error: /does not belong to Tcp:/ },
  { name: 'not a protocol line', text: 'RtoMin MaxConn\n200 -1\n', error: /"Proto:"/ },
  { name: 'invalid number', text: 'Tcp: RtoMin\nTcp: 2O0\n', error: /value of TcpRtoMin "2O0"/ },
  {
    name: 'valid: signed, 64-bit, two protocols, unknown names kept',
    text: 'Tcp: RtoMin MaxConn InSegs\nTcp: 200 -1 18446744073709551615\nFutureProto: Thing\nFutureProto: 7\n',
    want: { Tcp: { RtoMin: 200, MaxConn: -1, InSegs: 2 ** 64 }, FutureProto: { Thing: 7 } },
  },
  { name: 'a protocol given twice keeps the last', text: 'Ip: A\nIp: 1\nIp: B\nIp: 2\n', want: { Ip: { B: 2 } } },
];

for (const c of pairs) {
  test(`parseNetstatPairs: ${c.name}`, () => {
    if (c.error !== undefined)
      assert.throws(
        () => parseNetstatPairs(c.text),
        (e: unknown) => e instanceof ParseError && c.error!.test(e.message),
      );
    else assert.deepEqual(plain(parseNetstatPairs(c.text)), c.want);
  });
}

const snmp6: { name: string; text: string; want?: Record<string, Record<string, number>>; error?: RegExp }[] = [
  { name: 'empty', text: '', want: {} },
  { name: 'name without value is skipped', text: 'Ip6InReceives\n', want: {} },
  { name: 'name without a 6 is skipped', text: 'IpInReceives 4\n', want: {} },
  { name: 'invalid number', text: 'Ip6InReceives  12a\n', error: /Ip6InReceives "12a"/ },
  {
    name: 'valid: split at the first 6, tabs and padding',
    text: 'Ip6InReceives                   \t12\nIcmp6InType134                  \t3\nUdpLite6InErrors\t0\n',
    want: { Ip6: { InReceives: 12 }, Icmp6: { InType134: 3 }, UdpLite6: { InErrors: 0 } },
  },
];

for (const c of snmp6) {
  test(`parseSnmp6: ${c.name}`, () => {
    if (c.error !== undefined)
      assert.throws(
        () => parseSnmp6(c.text),
        (e: unknown) => e instanceof ParseError && c.error!.test(e.message),
      );
    else assert.deepEqual(plain(parseSnmp6(c.text)), c.want);
  });
}

test('fixtures /proc/net/netstat, snmp, snmp6', async () => {
  const netstat = await readAndParse(fixturePath('proc', 'net', 'netstat'), parseNetstatPairs);
  assert.deepEqual([...netstat.keys()], ['TcpExt', 'IpExt', 'MPTcpExt']);
  assert.equal(netstat.get('IpExt')?.get('InOctets'), 9007199254740992); // 2^53 + 1 rounds to even
  assert.equal(netstat.get('TcpExt')?.get('ListenDrops'), 23);
  const snmp = await readAndParse(fixturePath('proc', 'net', 'snmp'), parseNetstatPairs);
  assert.deepEqual([...snmp.keys()], ['Ip', 'Icmp', 'IcmpMsg', 'Tcp', 'Udp', 'UdpLite']);
  assert.equal(snmp.get('Tcp')?.get('MaxConn'), -1);
  const six = await readAndParse(fixturePath('proc', 'net', 'snmp6'), parseSnmp6);
  assert.deepEqual([...six.keys()], ['Ip6', 'Icmp6', 'Udp6', 'UdpLite6']);
  assert.equal(six.get('Ip6')?.get('OutOctets'), 91234567);
});

/** The reference: every values line through the general parser (in-place reading off). */
const referencePairs = (text: string) => parseNetstatPairs(text, false);

test('parseNetstatPairs agrees with the general parser on 5,000 generated inputs (values and errors)', () => {
  let seed = 20261204;
  const next = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const values = ['0', '7', '-1', '-0', '123456789012345', '1234567890123456', '18446744073709551615', '1.5', '1e3', '12x', '', '+3'];
  const seps = [' ', ' ', ' ', '  ', '\t', ' \r'];
  const outcome = (f: () => NetstatCounters): unknown => {
    try {
      return plain(f());
    } catch (err) {
      assert.ok(err instanceof ParseError, `only ParseError, got ${String(err)}`);
      return `ParseError: ${err.message}`;
    }
  };
  let parsed = 0;
  for (let n = 0; n < 5000; n++) {
    const blocks: string[] = [];
    for (let b = 0; b < 1 + Math.floor(next() * 3); b++) {
      const proto = pick(['Tcp:', 'TcpExt:', 'Ip:', 'Udp:', 'Tcp', 'x:']);
      const count = Math.floor(next() * 5);
      const names = Array.from({ length: count }, (_, k) => pick(['InSegs', 'OutSegs', 'MaxConn', `F${k}`]));
      const valueProto = next() < 0.9 ? proto : pick(['Tcp:', 'Ip:', ' Tcp:', 'Tcp:1']);
      const vals = Array.from({ length: count + (next() < 0.1 ? 1 : 0) }, () => (next() < 0.8 ? String(Math.floor(next() * 1e9)) : pick(values)));
      const sep = () => (next() < 0.85 ? ' ' : pick(seps));
      blocks.push(`${[proto, ...names].join(' ')}\n${valueProto}${vals.map((v) => `${sep()}${v}`).join('')}${next() < 0.1 ? pick(seps) : ''}`);
    }
    const text = blocks.join(next() < 0.9 ? '\n' : '\n\n') + (next() < 0.5 ? '\n' : '');
    const want = outcome(() => referencePairs(text));
    assert.deepEqual(
      outcome(() => parseNetstatPairs(text)),
      want,
      JSON.stringify(text),
    );
    if (typeof want !== 'string') parsed++;
  }
  assert.ok(parsed > 1000, `enough inputs parse (${parsed})`);
});
