import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUdpSummary, type UdpSummary } from '../../src/procfs/net-udp.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const HEADER = '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n';
const sock = (queues: string, drops = '0', local = '0100007F:0035') =>
  `  12: ${local} 00000000:0000 07 ${queues} 00:00000000 00000000   101        0 1234 2 ffff9b1c05a3e000 ${drops}\n`;

const cases: { name: string; text: string; want?: UdpSummary; error?: RegExp }[] = [
  { name: 'empty', text: '', want: { txQueue: 0, rxQueue: 0, sockets: 0, drops: 0 } },
  { name: 'header only', text: HEADER, want: { txQueue: 0, rxQueue: 0, sockets: 0, drops: 0 } },
  {
    name: 'truncated line (no drops column)',
    text: `${HEADER}${sock('00000000:00000000')
      .replace(/ 0\n$/, '\n')
      .replace(/ ffff\S+/, '')}`,
    error: /11 columns, want at least 13/,
  },
  { name: 'queues without colon', text: `${HEADER}${sock('0000000000000000')}`, error: /tx_queue:rx_queue/ },
  { name: 'invalid hex queue', text: `${HEADER}${sock('0000000z:00000000')}`, error: /tx_queue:rx_queue/ },
  { name: 'invalid address', text: `${HEADER}${sock('00000000:00000000', '0', '0100007:0035')}`, error: /local_address/ },
  { name: 'invalid drops', text: `${HEADER}${sock('00000000:00000000', 'x')}`, error: /drops/ },
  {
    name: 'valid: hex queues summed, IPv6 address, trailing padding',
    text: `${HEADER}${sock('00000010:00000100', '3')}${sock('00000001:00000000', '2', `${'0'.repeat(24)}01000000:1F90`)}`.replace(/\n/g, '      \n'),
    want: { txQueue: 17, rxQueue: 256, sockets: 2, drops: 5 },
  },
];

for (const c of cases) {
  test(`parseUdpSummary: ${c.name}`, () => {
    if (c.error !== undefined)
      assert.throws(
        () => parseUdpSummary(c.text),
        (e: unknown) => e instanceof ParseError && c.error!.test(e.message),
      );
    else assert.deepEqual(parseUdpSummary(c.text), c.want);
  });
}

test('fixtures /proc/net/udp and udp6', async () => {
  assert.deepEqual(await readAndParse(fixturePath('proc', 'net', 'udp'), parseUdpSummary), { txQueue: 0x340, rxQueue: 0x1200 + 0x3a8e0, sockets: 5, drops: 1183 });
  assert.deepEqual(await readAndParse(fixturePath('proc', 'net', 'udp6'), parseUdpSummary), { txQueue: 0x80, rxQueue: 0x300, sockets: 3, drops: 2 });
});
