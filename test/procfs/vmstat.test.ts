import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { NameRounds } from '../../src/procfs/name-value.js';
import { eachVmstat, parseVmstat } from '../../src/procfs/vmstat.js';
import { fixturePath } from '../helpers/repo.js';

const cases: { name: string; text: string; want?: [string, number][]; error?: RegExp }[] = [
  { name: 'empty', text: '', error: /no entries/ },
  { name: 'truncated line: name without value', text: 'nr_free_pages 1\npgfault', error: /1 fields, want 2/ },
  { name: 'too many fields', text: 'pgfault 1 2', error: /3 fields, want 2/ },
  { name: 'invalid number', text: 'pgfault 12x', error: /value of pgfault "12x"/ },
  { name: 'name that cannot be a metric name', text: 'pg-fault 1', error: /invalid vmstat name/ },
  { name: 'duplicate name', text: 'oom_kill 1\noom_kill 2', error: /duplicate/ },
  {
    name: 'valid: file order kept, unknown names kept, blank lines skipped, 64-bit wrap',
    text: 'nr_free_pages 1203376\n\nsome_future_counter 7\nnr_isolated_file 18446744073709551615\n',
    want: [
      ['nr_free_pages', 1203376],
      ['some_future_counter', 7],
      ['nr_isolated_file', 18446744073709551615],
    ],
  },
];

for (const c of cases) {
  test(`parseVmstat: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseVmstat(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual([...parseVmstat(c.text)], c.want);
    }
  });
}

// eachVmstat (the collector's path) against parseVmstat: the same pairs in the same order, the
// same errors, with one NameRounds reused across every case (so a name kept from an earlier
// parse must not count as a repeat in the next).
test('eachVmstat: the same pairs and errors as parseVmstat, parse after parse', async () => {
  const names = new NameRounds();
  const fixture = (await import('node:fs')).readFileSync(fixturePath('proc', 'vmstat'), 'utf8');
  for (const text of [...cases.map((c) => c.text), fixture, fixture, `${fixture}pgfault 1\n`, 'a 1\nb 2', 'b 2\na 1']) {
    let want: unknown;
    try {
      want = [...parseVmstat(text)];
    } catch (err) {
      want = (err as Error).message;
    }
    const got: [string, number][] = [];
    let result: unknown;
    try {
      eachVmstat(text, names, (name, value) => got.push([name, value]));
      result = got;
    } catch (err) {
      result = (err as Error).message;
    }
    assert.deepEqual(result, want, JSON.stringify(text.slice(0, 60)));
  }
});

test('parseVmstat: the error names the line', () => {
  assert.throws(
    () => parseVmstat('pgfault 1\npgmajfault x\n'),
    (err: unknown) => err instanceof ParseError && err.lineNumber === 2 && err.line === 'pgmajfault x',
  );
});

test('fixture /proc/vmstat', async () => {
  const stats = await readAndParse(fixturePath('proc', 'vmstat'), parseVmstat);
  assert.equal(stats.size, 74);
  assert.equal(stats.get('pgfault'), 23105477192);
  assert.equal(stats.get('oom_kill'), 3);
  // A per-cpu sum that went transiently negative, printed unsigned: beyond 2^53, float like Go's.
  assert.equal(stats.get('nr_isolated_file'), 2 ** 64);
});
