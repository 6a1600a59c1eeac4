import { ParseError } from './parse-error.js';

/** Parses one value field; throws ParseError (parseUint, parseFloatField). */
export type FieldParser = (text: string | undefined, what: string, line?: string, lineNumber?: number) => number;

/**
 * The "name value" per line format of /proc/vmstat and nodeN/numastat: name → value in file
 * order. Names become metric names, so anything outside [A-Za-z0-9_] is rejected rather than
 * producing a broken exposition; a repeated name is a corrupt read.
 *
 * The common line (`name 12345`: a plain name, spaces, up to 15 digits) is read in place, with no
 * string made but the name; anything else goes through the general line parser below, which
 * also makes every error. `inPlace` false sends every line through the general parser (the
 * reference the tests hold the in-place path to).
 */
export function parseNameValueLines(text: string, what: string, parseValue: FieldParser, inPlace = true): Map<string, number> {
  const out = new Map<string, number>();
  scanNameValueLines(text, what, parseValue, inPlace, out);
  return out;
}

/**
 * The names of the last parse of one file, kept from parse to parse: a repeated name is found
 * without a new map per parse (a name seen before only has its round updated in place). Bounded:
 * past `max` names (a file that is not what it should be) it starts over.
 */
export class NameRounds {
  private readonly rounds = new Map<string, number>();
  private round = 0;

  constructor(private readonly max = 4096) {}

  /** Starts a parse. */
  next(): void {
    this.round++;
    if (this.rounds.size > this.max) this.rounds.clear();
  }

  /** True the first time a name comes in this parse. */
  first(name: string): boolean {
    if (this.rounds.get(name) === this.round) return false;
    this.rounds.set(name, this.round);
    return true;
  }
}

/**
 * parseNameValueLines without the map: each pair goes to `visit` in file order as it is read
 * (same checks, same errors; `names` finds repeats). A caller that throws away most names
 * (vmstat exports a few of ~180) makes no entry for them.
 */
export function eachNameValue(text: string, what: string, parseValue: FieldParser, names: NameRounds, visit: (name: string, value: number) => void): void {
  names.next();
  scanNameValueLines(text, what, parseValue, true, { has: (name) => !names.first(name), set: visit });
}

function scanNameValueLines(text: string, what: string, parseValue: FieldParser, inPlace: boolean, out: PairSink): void {
  let entries = 0;
  let lineNumber = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNumber++;
    if (!inPlace) {
      if (parseLine(text.slice(start, end), lineNumber, what, parseValue, out)) entries++;
      start = end + 1;
      continue;
    }
    let i = start;
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    const nameStart = i;
    while (i < end && isNameChar(text.charCodeAt(i))) i++;
    const nameEnd = i;
    while (i < end && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
    const valueStart = i;
    let value = 0;
    while (i < end && i - valueStart < 15) {
      const d = text.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) break;
      value = value * 10 + d;
      i++;
    }
    const valueEnd = i;
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    if (i === end && nameEnd > nameStart && valueStart > nameEnd && valueEnd > valueStart) {
      const name = text.slice(nameStart, nameEnd);
      if (out.has(name)) throw new ParseError(`duplicate ${what} name ${JSON.stringify(name)}`, text.slice(start, end), lineNumber);
      out.set(name, value);
      entries++;
    } else if (nameStart < end) {
      if (parseLine(text.slice(start, end), lineNumber, what, parseValue, out)) entries++;
    }
    start = end + 1;
  }
  if (entries === 0) throw new ParseError(`${what} has no entries`);
}

/** ASCII whitespace as \s matches it (other whitespace takes the general parser). */
function isBlank(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/** Where parsed pairs go: `has` is asked first (true: a repeated name), then `set`. */
interface PairSink {
  has(name: string): boolean;
  set(name: string, value: number): void;
}

/** One line through the general path; true when it held a pair (false for a blank line). */
function parseLine(line: string, lineNumber: number, what: string, parseValue: FieldParser, out: PairSink): boolean {
  const fields = line
    .trim()
    .split(/\s+/)
    .filter((f) => f !== '');
  if (fields.length === 0) return false;
  if (fields.length !== 2) throw new ParseError(`${what} line has ${fields.length} fields, want 2`, line, lineNumber);
  const [name, value] = fields as [string, string];
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new ParseError(`invalid ${what} name ${JSON.stringify(name)}`, line, lineNumber);
  if (out.has(name)) throw new ParseError(`duplicate ${what} name ${JSON.stringify(name)}`, line, lineNumber);
  out.set(name, parseValue(value, `value of ${name}`, line, lineNumber));
  return true;
}
