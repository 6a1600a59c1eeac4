import { test } from 'node:test';
import assert from 'node:assert/strict';
import { counterValue, parseNetstatPairs, parseSnmp6, type NetstatCounters } from '../../src/procfs/net-netstat.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { seededRandom } from '../helpers/random.js';
import { fixturePath } from '../helpers/repo.js';

const plain = (c: NetstatCounters) => Object.fromEntries([...c].map(([p, m]) => [p, Object.fromEntries(m.names.map((n, i) => [n, m.values[i]]))]));

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
  assert.equal(counterValue(netstat.get('IpExt'), 'InOctets'), 9007199254740992); // 2^53 + 1 rounds to even
  assert.equal(counterValue(netstat.get('TcpExt'), 'ListenDrops'), 23);
  const snmp = await readAndParse(fixturePath('proc', 'net', 'snmp'), parseNetstatPairs);
  assert.deepEqual([...snmp.keys()], ['Ip', 'Icmp', 'IcmpMsg', 'Tcp', 'Udp', 'UdpLite']);
  assert.equal(counterValue(snmp.get('Tcp'), 'MaxConn'), -1);
  const six = await readAndParse(fixturePath('proc', 'net', 'snmp6'), parseSnmp6);
  assert.deepEqual([...six.keys()], ['Ip6', 'Icmp6', 'Udp6', 'UdpLite6']);
  assert.equal(counterValue(six.get('Ip6'), 'OutOctets'), 91234567);
});

/** The reference: every values line through the general parser (in-place reading off). */
const referencePairs = (text: string) => parseNetstatPairs(text, false);

/** What a parse gave, as plain data, or the ParseError's message (nothing else may be thrown). */
function outcome(f: () => NetstatCounters): unknown {
  try {
    return plain(f());
  } catch (err) {
    assert.ok(err instanceof ParseError, `only ParseError, got ${String(err)}`);
    return `ParseError: ${err.message}`;
  }
}

test('parseNetstatPairs agrees with the general parser on 5,000 generated inputs (values and errors)', () => {
  const next = seededRandom(20261204);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const values = ['0', '7', '-1', '-0', '123456789012345', '1234567890123456', '18446744073709551615', '1.5', '1e3', '12x', '', '+3'];
  const seps = [' ', ' ', ' ', '  ', '\t', ' \r'];
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

test('parseSnmp6 read in place against the last layout agrees with the general parser on 5,000 generated inputs (values and errors)', () => {
  const next = seededRandom(6);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const names = ['Ip6InReceives', 'Ip6InOctets', 'Icmp6InMsgs', 'Icmp6OutType133', 'Udp6InDatagrams', 'UdpLite6InErrors', 'IpNoSix', 'Ip6InReceives'];
  const odd = ['12a', '', '1234567890123456', '1.5', '-3', '007', '18446744073709551615', '1e3'];
  const seps = ['\t', ' ', '   ', ' \t'];
  let fast = 0;
  for (let n = 0; n < 5000; n++) {
    // A base file, parsed first (its layout is kept), then a variant of it.
    const lineNames = names.filter(() => next() < 0.8);
    const render = (ns: readonly string[]) => ns.map((name) => `${name}${pick(seps)}${Math.floor(next() * 1e12)}`).join('\n') + (next() < 0.8 ? '\n' : '');
    const base = render(lineNames);
    parseSnmp6(base);
    let variant: string;
    const r = next();
    if (r < 0.5) {
      variant = render(lineNames); // same names, new values: the in-place path
      fast++;
    } else {
      const lines = render(lineNames).split('\n');
      const k = Math.floor(next() * lines.length);
      const mutate = pick(['value', 'drop', 'dup', 'swap', 'indent', 'cr', 'extra', 'blank', 'rename', 'glue']);
      if (mutate === 'value') lines[k] = `${(lines[k] ?? '').split(/\s+/)[0]}${pick(seps)}${pick(odd)}`;
      else if (mutate === 'drop') lines.splice(k, 1);
      else if (mutate === 'dup') lines.splice(k, 0, lines[k] ?? '');
      else if (mutate === 'swap') lines.reverse();
      else if (mutate === 'indent') lines[k] = ` ${lines[k]}`;
      else if (mutate === 'cr') lines[k] = `${lines[k]}\r`;
      else if (mutate === 'extra') lines[k] = `${lines[k]} 5`;
      else if (mutate === 'blank') lines.splice(k, 0, '');
      else if (mutate === 'glue') lines[k] = (lines[k] ?? '').replace(/\s+/, '');
      else lines[k] = (lines[k] ?? '').replace('6', '7');
      variant = lines.join('\n');
    }
    assert.deepEqual(
      outcome(() => parseSnmp6(variant)),
      outcome(() => parseSnmp6(variant, false)),
      JSON.stringify({ base, variant }),
    );
  }
  assert.ok(fast > 1000, `enough inputs take the in-place path (${fast})`);
});
