import { ParseError } from '../procfs/parse-error.js';
import { parseUintBase0 } from './fibrechannel.js';

/** Counter files in /sys/class/scsi_tape/stN/stats that node_exporter reads. */
export const TAPE_STAT_FILES = ['in_flight', 'io_ns', 'other_cnt', 'read_byte_cnt', 'read_cnt', 'read_ns', 'resid_cnt', 'write_byte_cnt', 'write_cnt', 'write_ns'] as const;
export type TapeStat = (typeof TAPE_STAT_FILES)[number];

/**
 * The rewinding tape device itself (st0); the other names of the same drive (nst0, st0a,
 * st0l, ...) are alternative modes that share its counters.
 */
export const isTapeDevice = (name: string): boolean => /^st\d+$/.test(name);

/** One tape drive's counters from its stats/ file texts; a file that is absent reads as 0. */
export function parseTapeStats(files: ReadonlyMap<string, string>): Map<TapeStat, number> {
  const out = new Map<TapeStat, number>();
  for (const name of TAPE_STAT_FILES) {
    const text = files.get(name);
    if (text === undefined) {
      out.set(name, 0);
      continue;
    }
    const value = parseUintBase0(text.trim());
    // Named relative to the stats directory; the caller makes it absolute.
    if (value === undefined) throw new ParseError(`invalid value ${JSON.stringify(text.trim())}`, text.trim()).withFile(name);
    out.set(name, Number(value));
  }
  return out;
}
