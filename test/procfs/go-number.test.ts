import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoFloat, parseGoFloat, parseGoInt, parseGoIntExact } from '../../src/procfs/go-number.js';
import { seededRandom } from '../helpers/random.js';

test('parseGoFloat accepts what strconv.ParseFloat accepts', () => {
  const ok: [string, number][] = [
    ['7200', 7200],
    ['-1.5', -1.5],
    ['+.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['1E-2', 0.01],
    ['inf', Infinity],
    ['+Inf', Infinity],
    ['-Infinity', -Infinity],
    ['0x1p-2', 0.25],
    ['0X1.8P1', 3],
  ];
  for (const [text, want] of ok) assert.equal(parseGoFloat(text), want, text);
  assert.ok(Number.isNaN(parseGoFloat('NaN')));
  for (const bad of ['', ' 1', '1 ', '1e400', '-1e400', '0x10', '+nan', '1,5', 'one', '1_000', '--1']) {
    assert.equal(parseGoFloat(bad), undefined, bad);
  }
});

test('parseGoInt accepts what strconv.ParseInt(s, 0, 64) accepts', () => {
  const ok: [string, number][] = [
    ['0', 0],
    ['60', 60],
    ['-1', -1],
    ['+7', 7],
    ['0x1F', 31],
    ['0b101', 5],
    ['0o17', 15],
    ['017', 15],
    ['1_000', 1000],
    ['0x_ff', 255],
    ['9223372036854775807', 2 ** 63],
    ['-9223372036854775808', -(2 ** 63)],
  ];
  for (const [text, want] of ok) assert.equal(parseGoInt(text), want, text);
  for (const bad of ['', '08', '1__0', '_1', '1_', '0x', '1.0', '9223372036854775808', '18446744073709551615', 'abc', '- 1']) {
    assert.equal(parseGoInt(bad), undefined, bad);
  }
});

test('parseGoInt: its fast path reads what the BigInt path reads, on generated literals', () => {
  const next = seededRandom(0x60_1e7);
  const alphabet = ['0', '1', '7', '9', 'a', 'F', 'x', 'X', 'o', 'b', '_', '-', '+', ' ', '.'];
  const pick = (s: string) => s[Math.floor(next() * s.length)] ?? '';
  let read = 0;
  for (let n = 0; n < 20_000; n++) {
    // Half of them shaped as sysfs prints numbers (every length around the 15- and 13-digit
    // limits), half from a wider alphabet.
    const len = Math.floor(next() * 20);
    let text = '';
    if (next() < 0.5) {
      const hex = next() < 0.3;
      text = (hex ? '0x' : next() < 0.2 ? '-' : '') + (hex ? '' : pick('123456789'));
      for (let i = 0; i < len; i++) text += pick(hex ? '0123456789abcdefABCDEF' : '0123456789');
    } else {
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(next() * alphabet.length)];
    }
    const want = parseGoIntExact(text);
    assert.ok(Object.is(parseGoInt(text), want), `${JSON.stringify(text)}: ${parseGoInt(text)} vs ${want}`);
    if (want !== undefined) read++;
  }
  assert.ok(read > 8000, `only ${read} inputs parsed`);
  for (const text of ['-0', '+0', '0', '999999999999999', '-999999999999999', '0xfffffffffffff', '0x10000000000000', '9007199254740993']) {
    assert.ok(Object.is(parseGoInt(text), parseGoIntExact(text)), text);
  }
});

test("formatGoFloat: strconv.FormatFloat(v, 'g', -1, 64) as the text writer uses it", () => {
  const cases: [number, string][] = [
    [0, '0'],
    [-0, '0'],
    [1, '1'],
    [-1, '-1'],
    [0.5, '0.5'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [100000, '100000'],
    [999999, '999999'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [2.5e21, '2.5e+21'],
    [1e100, '1e+100'],
    [0.1 + 0.2, '0.30000000000000004'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [Number.NaN, 'NaN'],
  ];
  for (const [v, want] of cases) assert.equal(formatGoFloat(v), want, String(v));
});

test('parseGoInt: a long run of digits before a bad character is rejected in linear time (no regex backtracking)', () => {
  // Found by the fuzzer (test/fuzz): (_?\d+)* let the regex engine try every way of splitting the
  // digits, 2^n steps, so a 40-digit sysfs value ending in a letter blocked the event loop for hours.
  for (const text of [`1${'2'.repeat(30)}x`, `0x${'f'.repeat(30)}g`, `0b${'1'.repeat(30)}2`, `0o${'7'.repeat(30)}8`, `0${'7'.repeat(30)}9`]) {
    const started = performance.now();
    assert.equal(parseGoInt(text), undefined, text);
    const ms = performance.now() - started;
    assert.ok(ms < 200, `${text}: ${ms.toFixed(0)} ms`);
  }
  assert.equal(parseGoInt(`1${'_2'.repeat(10)}`), Number(`1${'2'.repeat(10)}`));
});
