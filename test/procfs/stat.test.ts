import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { parseStat } from '../../src/procfs/stat.js';
import { fixturePath } from '../helpers/repo.js';
import { assertAgreement, generatedLines } from '../helpers/agreement.js';

const SOFTIRQ = 'softirq 55 1 2 3 4 5 6 7 8 9 10';

const cases: { name: string; text: string; check?: (s: ReturnType<typeof parseStat>) => void; error?: RegExp }[] = [
  { name: 'empty', text: '', error: /no entries/ },
  { name: 'only lone words', text: 'btime\nctxt\n', error: /no entries/ },
  { name: 'invalid number', text: 'ctxt 12x4', error: /invalid ctxt "12x4"/ },
  { name: 'negative number', text: 'procs_running -1', error: /procs_running/ },
  { name: 'invalid cpu tick', text: 'cpu0 1 2 three 4', error: /cpu0 system ticks "three"/ },
  { name: 'invalid cpu name', text: 'cpuX 1 2 3', error: /cpu name "cpuX"/ },
  { name: 'invalid numbered irq', text: 'intr 10 3 x 7', error: /intr count 1 "x"/ },
  { name: 'truncated softirq line', text: 'softirq 55 1 2 3 4 5', error: /softirq line has 5 vectors, want 10/ },
  {
    name: "too few cpu fields: an old kernel's 7 columns, the rest 0",
    text: 'cpu0 100 200 300 400 500 600 700',
    check: (s) => assert.deepEqual(s.cpus.get(0), { user: 1, nice: 2, system: 3, idle: 4, iowait: 5, irq: 6, softirq: 7, steal: 0, guest: 0, guestNice: 0 }),
  },
  {
    name: 'unknown keys and extra cpu columns are ignored',
    text: 'page 5741 1808\nswap 1 0\ncpu1 1 2 3 4 5 6 7 8 9 10 11 12\nfuture_key 42\n',
    check: (s) => {
      assert.equal(s.cpus.get(1)?.guestNice, 0.1);
      assert.equal(s.bootTime, 0);
    },
  },
  {
    name: 'valid',
    text: `cpu  200 0 0 0\ncpu7 100 0 0 0\nintr 9007199254740993 1 2\nctxt 5\nbtime 1700000000\nprocesses 77\nprocs_running 2\nprocs_blocked 1\n${SOFTIRQ}\n`,
    check: (s) => {
      assert.equal(s.cpuTotal.user, 2);
      assert.deepEqual([...s.cpus.keys()], [7]);
      assert.equal(s.intrTotal, 9007199254740992); // beyond 2^53: the nearest double, as Go's float64()
      assert.deepEqual([s.contextSwitches, s.bootTime, s.forks, s.procsRunning, s.procsBlocked], [5, 1700000000, 77, 2, 1]);
      assert.equal(s.softirqTotal, 55);
      assert.deepEqual(Object.values(s.softirqs), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      assert.equal(s.softirqs.rcu, 10);
    },
  },
];

for (const c of cases) {
  test(`parseStat: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseStat(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      c.check?.(parseStat(c.text));
    }
  });
}

test('parseStat: the error points at the line', () => {
  try {
    parseStat('cpu 1 2\nbtime soon\n');
    assert.fail('expected a ParseError');
  } catch (err) {
    assert.ok(err instanceof ParseError);
    assert.equal(err.lineNumber, 2);
    assert.equal(err.line, 'btime soon');
  }
});

test('fixture /proc/stat: cpu2 offline, the total still counts it', async () => {
  const s = await readAndParse(fixturePath('proc', 'stat'), parseStat);
  assert.deepEqual([...s.cpus.keys()], [0, 1, 3]);
  assert.equal(s.cpus.get(0)?.user, 6200.11);
  assert.equal(s.cpus.get(3)?.guest, 33.65);
  const printed = [...s.cpus.values()].reduce((sum, t) => sum + t.idle, 0);
  assert.ok(s.cpuTotal.idle > printed, 'the cpu line sums every possible CPU, offline ones too');
  assert.equal(s.contextSwitches, 4311654023211);
  assert.equal(s.intrTotal, 5174884848);
  assert.equal(s.bootTime, 1718000000);
  assert.equal(s.forks, 9123456);
  assert.deepEqual([s.procsRunning, s.procsBlocked], [3, 1]);
  assert.equal(
    s.softirqTotal,
    Object.values(s.softirqs).reduce((a, b) => a + b, 0),
  );
  assert.equal(s.softirqs.block_iopoll, 0);
});

const STAT_PIECES = [
  'cpu',
  'cpu0',
  'cpu12',
  'cpux',
  'cpu 1',
  ' ',
  '  ',
  '\t',
  '\u00a0',
  '0',
  '7',
  '4705',
  '999999999999999',
  '1234567890123456',
  '-1',
  '1.5',
  'x',
  'intr 1 2',
  'ctxt 5',
  'btime 1',
  '',
];

test('parseStat read in place agrees with the general path on 5,000 generated inputs (values and errors)', () => {
  assertAgreement({
    seed: 1205,
    // Kernel lines: cpu lines with some columns and some spaces.
    generate: (next) =>
      generatedLines(next, STAT_PIECES, () => {
        const name = next() < 0.3 ? 'cpu' : `cpu${Math.floor(next() * 300)}`;
        const columns = Array.from({ length: Math.floor(next() * 13) }, () => String(Math.floor(next() * 10 ** Math.floor(next() * 17))));
        return [name, ...columns].join(' '.repeat(1 + Math.floor(next() * 2))) + (next() < 0.1 ? ' ' : '');
      }),
    fast: (text) => parseStat(text),
    reference: (text) => parseStat(text, false),
  });
});
