import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { seededRandom } from './random.js';

/** What a parser made of an input: its value, or the message of the ParseError it threw (any other error fails). */
export function parseOutcome(f: () => unknown): unknown {
  try {
    return f();
  } catch (err) {
    assert.ok(err instanceof ParseError, `only ParseError, got ${String(err)}`);
    return `ParseError: ${err.message}`;
  }
}

/**
 * Holds a fast reading of a file to its reference (the general parser) on `count` generated
 * inputs: the same value or the same ParseError message for each. `generate` gets a seeded random
 * source, so the inputs are the same every run. At least `minParsed` inputs must parse, so the
 * agreement is not only on errors.
 */
export function assertAgreement(o: {
  seed: number;
  count?: number;
  generate: (next: () => number) => string;
  fast: (text: string) => unknown;
  reference: (text: string) => unknown;
  minParsed?: number;
}): void {
  const next = seededRandom(o.seed);
  let parsed = 0;
  for (let n = 0; n < (o.count ?? 5000); n++) {
    const text = o.generate(next);
    const want = parseOutcome(() => o.reference(text));
    assert.deepEqual(
      parseOutcome(() => o.fast(text)),
      want,
      JSON.stringify(text),
    );
    if (typeof want !== 'string') parsed++;
  }
  assert.ok(parsed > (o.minParsed ?? 1000), `enough inputs parse (${parsed})`);
}

/**
 * A generated file of 1 to 6 lines: mostly (60%) lines as the kernel prints them, from
 * `kernelLine` (so the in-place reading is exercised as much as the general one), the others
 * 1 to `maxPieces` random pieces run together; a trailing newline half the time.
 */
export function generatedLines(next: () => number, pieces: readonly string[], kernelLine: (line: number) => string, maxPieces = 5): string {
  const pick = () => pieces[Math.floor(next() * pieces.length)] ?? '';
  const parts: string[] = [];
  const lines = 1 + Math.floor(next() * 6);
  for (let l = 0; l < lines; l++) {
    if (next() < 0.6) parts.push(kernelLine(l));
    else parts.push(Array.from({ length: 1 + Math.floor(next() * maxPieces) }, pick).join(''));
  }
  return parts.join('\n') + (next() < 0.5 ? '\n' : '');
}
