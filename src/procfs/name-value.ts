import { ParseError } from './parse-error.js';

/** Parses one value field; throws ParseError (parseUint, parseFloatField). */
export type FieldParser = (text: string | undefined, what: string, line?: string, lineNumber?: number) => number;

/**
 * The "name value" per line format of /proc/vmstat and nodeN/numastat: name → value in file
 * order. Names become metric names, so anything outside [A-Za-z0-9_] is rejected rather than
 * producing a broken exposition; a repeated name is a corrupt read.
 */
export function parseNameValueLines(text: string, what: string, parseValue: FieldParser): Map<string, number> {
  const out = new Map<string, number>();
  text.split('\n').forEach((line, i) => {
    const lineNumber = i + 1;
    const fields = line
      .trim()
      .split(/\s+/)
      .filter((f) => f !== '');
    if (fields.length === 0) return;
    if (fields.length !== 2) throw new ParseError(`${what} line has ${fields.length} fields, want 2`, line, lineNumber);
    const [name, value] = fields as [string, string];
    if (!/^[A-Za-z0-9_]+$/.test(name)) throw new ParseError(`invalid ${what} name ${JSON.stringify(name)}`, line, lineNumber);
    if (out.has(name)) throw new ParseError(`duplicate ${what} name ${JSON.stringify(name)}`, line, lineNumber);
    out.set(name, parseValue(value, `value of ${name}`, line, lineNumber));
  });
  if (out.size === 0) throw new ParseError(`${what} has no entries`);
  return out;
}
