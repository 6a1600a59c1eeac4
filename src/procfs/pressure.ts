import { ParseError, parseFloatField, parseUint } from './parse-error.js';

/** One line of a /proc/pressure/<resource> file. Averages are percentages, total is µs. */
export interface PressureLine {
  avg10: number;
  avg60: number;
  avg300: number;
  totalMicroseconds: number;
}

/**
 * "some": share of time at least one task stalled; "full": all non-idle tasks stalled at once.
 * Either may be absent (irq has no "some"; cpu's "full" is a later addition).
 */
export interface Pressure {
  some?: PressureLine;
  full?: PressureLine;
}

const KEYS = ['avg10', 'avg60', 'avg300', 'total'] as const;
const PREFIXES = KEYS.map((key) => `${key}=`);

/**
 * "some avg10=0.18 avg60=0.34 avg300=0.10 total=159886802". Lines with another first word are
 * skipped, so a kind the kernel adds later does not break the collector.
 */
export function parsePressure(text: string): Pressure {
  const out: Pressure = {};
  text.split('\n').forEach((line, i) => {
    const lineNumber = i + 1;
    const fields = line
      .trim()
      .split(/\s+/)
      .filter((f) => f !== '');
    const kind = fields[0];
    if (kind !== 'some' && kind !== 'full') return;
    if (fields.length !== 5) throw new ParseError(`pressure line has ${fields.length} fields, want 5`, line, lineNumber);
    const values = KEYS.map((key, k) => {
      const field = fields[k + 1] ?? '';
      if (!field.startsWith(PREFIXES[k] as string)) throw new ParseError(`pressure field ${k + 2} is not ${key}=`, line, lineNumber);
      const raw = field.slice(key.length + 1);
      return key === 'total' ? parseUint(raw, 'total', line, lineNumber) : parseFloatField(raw, key, line, lineNumber);
    }) as [number, number, number, number];
    if (out[kind] !== undefined) throw new ParseError(`duplicate "${kind}" line`, line, lineNumber);
    out[kind] = { avg10: values[0], avg60: values[1], avg300: values[2], totalMicroseconds: values[3] };
  });
  return out;
}
