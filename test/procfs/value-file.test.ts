import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { parseIntValue, parseUintValue } from '../../src/procfs/value-file.js';
import { fixturePath } from '../helpers/repo.js';

const cases: { name: string; text: string; uint?: number | RegExp; int?: number | RegExp }[] = [
  { name: 'empty', text: '', uint: /empty/, int: /empty/ },
  { name: 'only a newline', text: '\n', uint: /empty/, int: /empty/ },
  { name: 'two fields', text: '1 2\n', uint: /more than one field/, int: /more than one field/ },
  { name: 'invalid number', text: '12abc\n', uint: /invalid unsigned integer "12abc"/, int: /invalid integer/ },
  { name: 'float', text: '1.5\n', uint: /invalid/, int: /invalid/ },
  { name: 'negative', text: '-1335296\n', uint: /invalid unsigned integer/, int: -1335296 },
  { name: 'valid with padding', text: '  4096 \n', uint: 4096, int: 4096 },
  { name: 'beyond 2^53', text: '18446744073709551615\n', uint: 2 ** 64, int: 2 ** 64 },
];

for (const c of cases) {
  for (const [fn, want] of [
    [parseUintValue, c.uint],
    [parseIntValue, c.int],
  ] as const) {
    test(`${fn.name}: ${c.name}`, () => {
      if (want instanceof RegExp) {
        assert.throws(
          () => fn(c.text),
          (err: unknown) => err instanceof ParseError && want.test(err.message),
        );
      } else {
        assert.equal(fn(c.text), want);
      }
    });
  }
}

test('fixtures: pid_max, threads-max, entropy, hung tasks, a negative ksm general_profit', async () => {
  assert.equal(await readAndParse(fixturePath('proc', 'sys', 'kernel', 'pid_max'), parseUintValue), 4194304);
  assert.equal(await readAndParse(fixturePath('proc', 'sys', 'kernel', 'threads-max'), parseUintValue), 253261);
  assert.equal(await readAndParse(fixturePath('proc', 'sys', 'kernel', 'random', 'entropy_avail'), parseUintValue), 256);
  assert.equal(await readAndParse(fixturePath('proc', 'sys', 'kernel', 'hung_task_detect_count'), parseUintValue), 2);
  assert.equal(await readAndParse(fixturePath('sys', 'kernel', 'mm', 'ksm', 'general_profit'), parseIntValue), -1335296);
  await assert.rejects(readAndParse(fixturePath('sys', 'kernel', 'mm', 'ksm', 'advisor_mode'), parseUintValue), /ksm\/advisor_mode:1: file holds more than one field/);
});
