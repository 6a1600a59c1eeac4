import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInterrupts, type InterruptRow } from '../../src/procfs/interrupts.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const HEADER = '           CPU0       CPU1       \n';

const cases: { name: string; text: string; want?: InterruptRow[]; error?: RegExp }[] = [
  { name: 'empty', text: '', error: /no CPU header/ },
  { name: 'invalid number', text: `${HEADER}  9:   1x  2   IO-APIC   9-fasteoi   acpi\n`, error: /count of 9 on CPU 0 "1x"/ },
  { name: 'too few fields: totals (ERR, MIS) and rows without a description are skipped', text: `${HEADER} ERR:          0\n  3:   1   2\n`, want: [] },
  { name: 'truncated line without a colon is skipped', text: `${HEADER}  NMI     1\n`, want: [] },
  {
    name: 'valid: numbered and named rows, whitespace collapsed, extra description fields kept',
    text: `${HEADER}  16:   0   7   IO-APIC  16-fasteoi   i801_smbus,  snd_hda_intel:card0\n NMI:   3   4   Non-maskable   interrupts\n`,
    want: [
      { name: '16', info: 'IO-APIC', devices: '16-fasteoi i801_smbus, snd_hda_intel:card0', counts: [0, 7] },
      { name: 'NMI', info: 'Non-maskable interrupts', devices: '', counts: [3, 4] },
    ],
  },
  {
    name: 'a repeated name keeps its last row',
    text: `${HEADER} 5:   1   1   A\n 5:   2   2   B\n`,
    want: [{ name: '5', info: 'B', devices: '', counts: [2, 2] }],
  },
];

for (const c of cases) {
  test(`parseInterrupts: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseInterrupts(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(parseInterrupts(c.text), c.want);
    }
  });
}

test('fixture /proc/interrupts: x86, three online CPUs', async () => {
  const rows = await readAndParse(fixturePath('proc', 'interrupts'), parseInterrupts);
  const byName = new Map(rows.map((r) => [r.name, r]));
  assert.equal(rows.length, 11 + 17);
  assert.ok(!byName.has('ERR') && !byName.has('MIS'));
  assert.deepEqual(byName.get('122'), { name: '122', info: 'IR-PCI-MSI-0000:00:17.0', devices: '0-edge ahci[0000:00:17.0]', counts: [181023, 0, 9877712] });
  assert.deepEqual(byName.get('LOC')?.counts, [98123456, 97012345, 96543210]);
  assert.equal(byName.get('PIW')?.info, 'Posted-interrupt wakeup event');
});

test('fixture arm64 /proc/interrupts: a wide count right after the colon', async () => {
  const rows = await readAndParse(fixturePath('arm64', 'proc', 'interrupts'), parseInterrupts);
  const byName = new Map(rows.map((r) => [r.name, r]));
  assert.deepEqual(byName.get('IPI1'), { name: 'IPI1', info: 'Function call interrupts', devices: '', counts: [1234567890, 2345678901, 34567890, 45678901] });
  assert.deepEqual(byName.get('11'), { name: '11', info: 'GICv2', devices: '30 Level arch_timer', counts: [91234567, 80123456, 79123456, 81123456] });
  assert.equal(byName.get('IPI3')?.info, 'CPU stop (for crash dump) interrupts');
  assert.ok(!byName.has('Err'));
});
