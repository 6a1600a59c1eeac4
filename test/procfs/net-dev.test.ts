import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldLegacyCounters, NET_DEV_COLUMNS, parseNetDev } from '../../src/procfs/net-dev.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const HEADER =
  'Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
const row = (name: string, values: number[]) => `${name}: ${values.join(' ')}\n`;
const seq = Array.from({ length: 16 }, (_, i) => i + 1);

const cases: { name: string; text: string; want?: [string, number[]][]; error?: RegExp }[] = [
  { name: 'empty', text: '', want: [] },
  { name: 'headers only', text: HEADER, want: [] },
  { name: 'truncated line', text: `${HEADER}  eth0: 1 2 3`, error: /3 counters, want 16/ },
  { name: 'no colon', text: `${HEADER}  eth0 ${seq.join(' ')}\n`, error: /no "name:"/ },
  { name: 'empty name', text: `${HEADER}   : ${seq.join(' ')}\n`, error: /empty device name/ },
  { name: 'invalid number', text: `${HEADER}${row('eth0', [...seq.slice(0, 15), -1])}`, error: /transmit_compressed "-1"/ },
  { name: 'duplicate device', text: `${HEADER}${row('lo', seq)}${row('lo', seq)}`, error: /duplicate device "lo"/ },
  { name: 'extra columns are ignored', text: `${HEADER}${row('  eth0', [...seq, 99, 100])}`, want: [['eth0', seq]] },
  // Old kernels: the first number touches the colon when it is wide.
  { name: 'number glued to the colon', text: `${HEADER}  eth0:${seq.join(' ')}\n`, want: [['eth0', seq]] },
  {
    name: 'valid, two devices, 64-bit counter',
    text: `${HEADER}${row('    lo', seq)}${row('  eth0', [18446744073709551615, ...seq.slice(1)])}`,
    want: [
      ['lo', seq],
      ['eth0', [2 ** 64, ...seq.slice(1)]],
    ],
  },
];

for (const c of cases) {
  test(`parseNetDev: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseNetDev(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
      return;
    }
    const got = parseNetDev(c.text).map((l) => [l.device, NET_DEV_COLUMNS.map((k) => l.counters.get(k))]);
    assert.deepEqual(got, c.want);
  });
}

test('parseNetDev: the error names the line', () => {
  try {
    parseNetDev(`${HEADER}${row('lo', seq)}  eth0: x\n`);
    assert.fail('expected a ParseError');
  } catch (err) {
    assert.ok(err instanceof ParseError);
    assert.equal(err.lineNumber, 4);
  }
});

test('foldLegacyCounters: netlink names and sums become the /proc/net/dev columns', () => {
  const netlink = new Map(
    Object.entries({
      receive_bytes: 100,
      receive_errors: 1,
      receive_dropped: 2,
      receive_missed_errors: 3,
      receive_fifo_errors: 4,
      receive_frame_errors: 5,
      receive_length_errors: 6,
      receive_over_errors: 7,
      receive_crc_errors: 8,
      multicast: 9,
      transmit_errors: 10,
      transmit_dropped: 11,
      transmit_fifo_errors: 12,
      collisions: 13,
      transmit_carrier_errors: 14,
      transmit_aborted_errors: 15,
      transmit_heartbeat_errors: 16,
      transmit_window_errors: 17,
      receive_nohandler: 18,
    }),
  );
  assert.deepEqual(Object.fromEntries(foldLegacyCounters(netlink)), {
    receive_bytes: 100,
    receive_errs: 1,
    receive_drop: 2 + 3,
    receive_fifo: 4,
    receive_frame: 5 + 6 + 7 + 8,
    receive_multicast: 9,
    transmit_errs: 10,
    transmit_drop: 11,
    transmit_fifo: 12,
    transmit_colls: 13,
    transmit_carrier: 14 + 15 + 16 + 17,
    receive_nohandler: 18,
  });
  assert.equal(netlink.get('receive_errors'), 1, 'the input is not modified');
});

test('foldLegacyCounters: /proc/net/dev keys only rename errors and dropped', () => {
  const [lo] = parseNetDev(`${HEADER}${row('lo', seq)}`);
  assert.ok(lo !== undefined);
  assert.deepEqual([...foldLegacyCounters(lo.counters).keys()].sort(), [
    'receive_bytes',
    'receive_compressed',
    'receive_drop',
    'receive_errs',
    'receive_fifo',
    'receive_frame',
    'receive_multicast',
    'receive_packets',
    'transmit_bytes',
    'transmit_carrier',
    'transmit_colls',
    'transmit_compressed',
    'transmit_drop',
    'transmit_errs',
    'transmit_fifo',
    'transmit_packets',
  ]);
});

test('fixture /proc/net/dev', async () => {
  const lines = await readAndParse(fixturePath('proc', 'net', 'dev'), parseNetDev);
  assert.deepEqual(
    lines.map((l) => l.device),
    ['lo', 'eth0', 'wlan0', 'docker0', 'veth3f2a1c9'],
  );
  const eth0 = lines[1]?.counters;
  assert.equal(eth0?.get('receive_bytes'), 12345678901234568); // > 2^53: rounded as Go's float64(uint64)
  assert.equal(eth0?.get('receive_dropped'), 3304);
  assert.equal(eth0?.get('transmit_carrier'), 3);
});
