import { ParseError } from './parse-error.js';

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
  if (!/^\d+$/.test(text)) throw new ParseError(`invalid ${what} ${JSON.stringify(text)}`, line, lineNumber);
  // Counters are uint64 in the kernel; Number() rounds those above 2^53 as float64(uint64) does.
  if (typeof max === 'number' ? Number(text) > max : text.length >= 20 && BigInt(text) > max) {
    throw new ParseError(`${what} ${text} is out of range`, line, lineNumber);
  }
  return Number(text);
}

/**
 * Parses /proc/diskstats. As procfs does, a line with fewer than 14 fields (major, minor, name
 * and the 11 counters every kernel has) is skipped, not an error: the kernel never writes one,
 * and a blank line must not fail the collector. A field that is not a number is an error, even
 * on a short line; fields after the 17th counter are ignored.
 */
export function parseDiskstats(text: string): DiskstatsEntry[] {
  const entries: DiskstatsEntry[] = [];
  text.split('\n').forEach((line, i) => {
    const lineNumber = i + 1;
    const [majorField, minorField, device, ...rest] = line
      .trim()
      .split(/\s+/)
      .filter((f) => f !== '');
    if (majorField === undefined) return;
    const major = parseCounter(majorField, 'major number', UINT32_MAX, line, lineNumber);
    if (minorField === undefined) return;
    const minor = parseCounter(minorField, 'minor number', UINT32_MAX, line, lineNumber);
    if (device === undefined) return;
    const counters = rest.slice(0, DISKSTATS_COUNTERS).map((f, n) => parseCounter(f, `counter ${n + 1} of ${device}`, UINT64_MAX, line, lineNumber));
    if (counters.length < MIN_FIELDS - 3) return;
    entries.push({ major, minor, device, counters });
  });
  return entries;
}
