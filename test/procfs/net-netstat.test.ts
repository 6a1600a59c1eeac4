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
