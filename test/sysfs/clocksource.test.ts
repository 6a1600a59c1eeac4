import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAvailableClocksources, parseCurrentClocksource } from '../../src/sysfs/clocksource.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const dir = ['sys', 'devices', 'system', 'clocksource', 'clocksource0'];

const available: { name: string; text: string; want?: string[] }[] = [
  { name: 'empty', text: '' },
  { name: 'only whitespace', text: ' \n' },
  { name: 'one name', text: 'arch_sys_counter \n', want: ['arch_sys_counter'] },
  { name: 'kernel layout: trailing space before newline', text: 'tsc hpet acpi_pm \n', want: ['tsc', 'hpet', 'acpi_pm'] },
  { name: 'no trailing newline', text: 'kvm-clock tsc', want: ['kvm-clock', 'tsc'] },
];

for (const c of available) {
  test(`parseAvailableClocksources: ${c.name}`, () => {
    if (c.want === undefined) assert.throws(() => parseAvailableClocksources(c.text), ParseError);
    else assert.deepEqual(parseAvailableClocksources(c.text), c.want);
  });
}

const current: { name: string; text: string; want?: string }[] = [
  { name: 'empty', text: '' },
  { name: 'extra field', text: 'tsc hpet\n' },
  { name: 'valid', text: 'tsc\n', want: 'tsc' },
  { name: 'no newline', text: 'kvm-clock', want: 'kvm-clock' },
];

for (const c of current) {
  test(`parseCurrentClocksource: ${c.name}`, () => {
    if (c.want === undefined) assert.throws(() => parseCurrentClocksource(c.text), ParseError);
    else assert.equal(parseCurrentClocksource(c.text), c.want);
  });
}

test('fixture clocksource0', async () => {
  assert.deepEqual(await readAndParse(fixturePath(...dir, 'available_clocksource'), parseAvailableClocksources), ['tsc', 'hpet', 'acpi_pm']);
  assert.equal(await readAndParse(fixturePath(...dir, 'current_clocksource'), parseCurrentClocksource), 'tsc');
});
