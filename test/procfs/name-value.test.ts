import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type FieldParser, parseNameValueLines } from '../../src/procfs/name-value.js';
import { ParseError, parseFloatField, parseUint } from '../../src/procfs/parse-error.js';
import { seededRandom } from '../helpers/random.js';

/**
 * parseNameValueLines reads the common line in place and hands every other line to a general
 * parser. With in-place reading off, every line goes through the general parser: that is the
 * reference, and both must agree on every input, values and errors alike.
 */
const reference = (text: string, what: string, parseValue: FieldParser) => parseNameValueLines(text, what, parseValue, false);

function outcome(f: () => Map<string, number>): unknown {
  try {
    return [...f()];
  } catch (err) {
    assert.ok(err instanceof ParseError, `only ParseError, got ${String(err)}`);
    return `ParseError: ${err.message}`;
  }
}

const PIECES = [
  'pgfault',
  'nr_free_pages',
  'oom_kill',
  'x',
  '_',
  'pg-fault',
  'né',
  '0',
  '7',
  '123',
  '999999999999999',
  '1234567890123456',
  '18446744073709551615',
  '-1',
  '1.5',
  '1e3',
  '12x',
  ' ',
  '  ',
  '\t',
  '\r',
  '\v',
  '\f',
  '\u00a0',
  '\ufeff',
  '\n',
  '\n',
  '\n',
  '',
  '\0',
];

test('parseNameValueLines agrees with the general line parser on 5,000 generated inputs (values and errors)', () => {
  const next = seededRandom(20261204);
  const pick = () => PIECES[Math.floor(next() * PIECES.length)] ?? '';
  let fast = 0;
  for (let n = 0; n < 5000; n++) {
    const parts: string[] = [];
    const lines = 1 + Math.floor(next() * 6);
    for (let l = 0; l < lines; l++) {
      // Mostly well-formed lines, so the in-place path is exercised as much as the general one.
      if (next() < 0.5) parts.push(`${['pgfault', 'pgmajfault', 'nr_dirty', `f${l}`][Math.floor(next() * 4)]} ${Math.floor(next() * 1e6)}`);
      else parts.push(Array.from({ length: 1 + Math.floor(next() * 5) }, pick).join(''));
    }
    const text = parts.join('\n') + (next() < 0.5 ? '\n' : '');
    for (const parseValue of [parseFloatField, parseUint]) {
      const want = outcome(() => reference(text, 'vmstat', parseValue));
      assert.deepEqual(
        outcome(() => parseNameValueLines(text, 'vmstat', parseValue)),
        want,
        JSON.stringify(text),
      );
      if (Array.isArray(want)) fast++;
    }
  }
  assert.ok(fast > 1000, `enough inputs parse (${fast})`);
});
