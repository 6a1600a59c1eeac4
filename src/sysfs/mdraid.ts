import { ParseError } from '../procfs/parse-error.js';

/** The attributes of /sys/block/mdN/md that node_exporter reads, as prometheus/procfs reads them. */

/** Levels that are containers of other arrays (IMSM, DDF): they have no raid_disks of their own. */
export const CONTAINER_LEVELS: ReadonlySet<string> = new Set(['container', 'imsm', 'ddf']);
/** Levels with a chunk_size attribute. */
export const CHUNKED_LEVELS: ReadonlySet<string> = new Set(['raid0', 'raid4', 'raid5', 'raid6', 'raid10']);
/** Levels with redundancy: degraded, sync_action and sync_completed exist. */
export const REDUNDANT_LEVELS: ReadonlySet<string> = new Set(['raid1', 'raid4', 'raid5', 'raid6', 'raid10']);

/**
 * raid_disks: the number of devices of the complete array. While a reshape runs the kernel
 * prints "current (previous)", e.g. "5 (4)": the first number counts. Empty or unreadable
 * text means "unknown" (undefined), not an error, as in procfs.
 */
export function parseRaidDisks(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const space = t.indexOf(' ');
  if (space > 0 && /^\d+$/.test(t.slice(0, space))) return Number(t.slice(0, space));
  return undefined;
}

/** sync_completed: "none", or "<done> / <total>" sectors; the fraction done (NaN for 0 / 0, as Go divides). */
export function parseSyncCompleted(text: string): number | undefined {
  const t = text.trim();
  if (t === 'none') return undefined;
  const m = /^(\d+)\s*\/\s*(\d+)/.exec(t);
  if (m === null) throw new ParseError('sync_completed is neither "none" nor "<done> / <total>"', t, 1);
  return Number(m[1]) / Number(m[2]);
}
