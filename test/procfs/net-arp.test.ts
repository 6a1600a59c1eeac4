import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArp } from '../../src/procfs/net-arp.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const HEADER = 'IP address       HW type     Flags       HW address            Mask     Device\n';
const cases: { name: string; text: string; want?: [string, number][]; error?: RegExp }[] = [
  { name: 'empty', text: '', want: [] },
  { name: 'header only', text: HEADER, want: [] },
  { name: 'too few columns', text: `${HEADER}10.0.0.1 0x1 0x2 aa:bb:cc:dd:ee:ff *\n`, error: /5 columns, want 6/ },
  { name: 'too many columns', text: `${HEADER}10.0.0.1 0x1 0x2 aa:bb:cc:dd:ee:ff * eth0 x\n`, error: /7 columns/ },
  { name: 'invalid flags', text: `${HEADER}10.0.0.1 0x1 2 aa:bb:cc:dd:ee:ff * eth0\n`, error: /flags "2"/ },
  { name: 'invalid HW address', text: `${HEADER}10.0.0.1 0x1 0x2 aa:bb:cc:dd:ee * eth0\n`, error: /HW address/ },
  {
    name: 'valid: incomplete entry, 20-octet InfiniBand address',
    text: `${HEADER}10.0.0.1 0x1 0x0 00:00:00:00:00:00 * eth0\n10.1.0.1 0x20 0x6 80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0a:c1:e1 * ib0\n`,
    want: [
      ['eth0', 0],
      ['ib0', 6],
    ],
  },
];

for (const c of cases) {
  test(`parseArp: ${c.name}`, () => {
    if (c.error !== undefined)
      assert.throws(
        () => parseArp(c.text),
        (e: unknown) => e instanceof ParseError && c.error!.test(e.message),
      );
    else
      assert.deepEqual(
        parseArp(c.text).map((e) => [e.device, e.flags]),
        c.want,
      );
  });
}

test('fixture /proc/net/arp', async () => {
  const entries = await readAndParse(fixturePath('proc', 'net', 'arp'), parseArp);
  assert.equal(entries.length, 7);
  assert.deepEqual(entries[0], { ip: '192.168.10.1', hwAddress: '3c:52:82:0e:a1:7f', flags: 2, device: 'eth0' });
  assert.equal(entries.filter((e) => e.device === 'eth0').length, 4);
});
