import { isUintText, ParseError } from './parse-error.js';

/**
 * The counters of one /proc/diskstats line, in kernel order. Kernels before 4.18 give the first
 * 11, 4.18 added the four discard fields, 5.5 the two flush fields; `counters.length` says
 * which, and the collector emits only the families the line has.
 */
export interface DiskstatsEntry {
  major: number;
  minor: number;
  device: string;
  /**
   * reads completed, reads merged, sectors read, ms reading, writes completed, writes merged,
   * sectors written, ms writing, I/Os in progress, ms doing I/O, weighted ms doing I/O,
   * discards completed, discards merged, sectors discarded, ms discarding, flushes completed,
   * ms flushing.
   */
  counters: number[];
}

/** The 17 counters the kernel documents (Documentation/admin-guide/iostats.rst); more are ignored. */
export const DISKSTATS_COUNTERS = 17;
/** The oldest layout: major, minor, name and 11 counters. */
const MIN_FIELDS = 14;
const UINT32_MAX = 2 ** 32 - 1;
const UINT64_MAX = 2n ** 64n - 1n;

function parseCounter(text: string, what: string, max: bigint | number, line: string, lineNumber: number): number {
  if (!isUintText(text)) throw new ParseError(`invalid ${what} ${JSON.stringify(text)}`, line, lineNumber);
  // Counters are uint64 in the kernel; Number() rounds those above 2^53 as float64(uint64) does.
  if (typeof max === 'number' ? Number(text) > max : text.length >= 20 && BigInt(text) > max) {
    throw new ParseError(`${what} ${text} is out of range`, line, lineNumber);
  }
  return Number(text);
}

/** Counter k of a device: digits only, and at most 2^64 - 1. */
function deviceCounter(text: string, k: number, device: string, line: string, lineNumber: number): number {
  // Up to 19 digits cannot exceed 2^64 - 1: no range check, no message built.
  if (text.length < 20 && isUintText(text)) return Number(text);
  return parseCounter(text, `counter ${k + 1} of ${device}`, UINT64_MAX, line, lineNumber);
}

/**
 * A line as the kernel prints it ("   8       0 sda 1234 5 ...": spaces, then plain numbers of
 * up to 15 digits around a printable device name) read in place: no field strings or arrays.
 * Returns the entry, null for a line the general path would skip, or undefined for any other
 * line, which then takes the general path (the one that makes every error).
 */
function readLineInPlace(line: string): DiskstatsEntry | null | undefined {
  const n = line.length;
  let at = deviceNumberAt(line, 0);
  if (at === null || at === undefined) return at;
  const major = digitsValue;
  at = deviceNumberAt(line, at);
  if (at === null || at === undefined) return at;
  const minor = digitsValue;
  let i = at;
  while (i < n && line.charCodeAt(i) === 0x20) i++;
  if (i === n) return null;
  const nameStart = i;
  while (i < n && line.charCodeAt(i) > 0x20 && line.charCodeAt(i) < 0x7f) i++;
  if (i < n && line.charCodeAt(i) !== 0x20) return undefined;
  const device = line.slice(nameStart, i);
  const counters: number[] = [];
  while (i < n) {
    while (i < n && line.charCodeAt(i) === 0x20) i++;
    if (i === n) break;
    if (!readDigits(line, i) || (digitsEnd < n && line.charCodeAt(digitsEnd) !== 0x20)) return undefined;
    if (counters.length < DISKSTATS_COUNTERS) counters.push(digitsValue);
    i = digitsEnd;
  }
  if (counters.length < MIN_FIELDS - 3) return null;
  return { major, minor, device, counters };
}

/**
 * A device number from i on: spaces, then up to UINT32_MAX in digits, then a space or the end.
 * Its end (its value in digitsValue), null when only spaces are left (a line the general path
 * skips), undefined when the line is not the kernel's shape.
 */
function deviceNumberAt(line: string, i: number): number | null | undefined {
  const n = line.length;
  while (i < n && line.charCodeAt(i) === 0x20) i++;
  if (i === n) return null;
  if (!readDigits(line, i) || digitsValue > UINT32_MAX) return undefined;
  if (digitsEnd < n && line.charCodeAt(digitsEnd) !== 0x20) return undefined;
  return digitsEnd;
}

/** What readDigits read: the value and where the digits end. */
let digitsValue = 0;
let digitsEnd = 0;

/** Reads the run of 1 to 15 ASCII digits at i (exact as a double); false for none or more. */
function readDigits(line: string, i: number): boolean {
  let v = 0;
  const from = i;
  while (i < line.length) {
    const d = line.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
    i++;
  }
  if (i === from || i - from > 15) return false;
  digitsValue = v;
  digitsEnd = i;
  return true;
}

/**
 * Parses /proc/diskstats. As procfs does, a line with fewer than 14 fields (major, minor, name
 * and the 11 counters every kernel has) is skipped, not an error: the kernel never writes one,
 * and a blank line must not fail the collector. A field that is not a number is an error, even
 * on a short line; fields after the 17th counter are ignored.
 */
export function parseDiskstats(text: string, inPlace = true): DiskstatsEntry[] {
  const entries: DiskstatsEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const lineNumber = i + 1;
    if (inPlace) {
      const fast = readLineInPlace(line);
      if (fast === null) continue;
      if (fast !== undefined) {
        entries.push(fast);
        continue;
      }
    }
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const fields = trimmed.split(/\s+/);
    const major = parseCounter(fields[0] as string, 'major number', UINT32_MAX, line, lineNumber);
    const minorField = fields[1];
    if (minorField === undefined) continue;
    const minor = parseCounter(minorField, 'minor number', UINT32_MAX, line, lineNumber);
    const device = fields[2];
    if (device === undefined) continue;
    const n = Math.min(fields.length - 3, DISKSTATS_COUNTERS);
    const counters = new Array<number>(n);
    for (let k = 0; k < n; k++) counters[k] = deviceCounter(fields[k + 3] as string, k, device, line, lineNumber);
    if (n < MIN_FIELDS - 3) continue;
    entries.push({ major, minor, device, counters });
  }
  return entries;
}
