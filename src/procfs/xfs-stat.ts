import { ParseError } from './parse-error.js';

/**
 * XFS statistics (/proc/fs/xfs/stat, /sys/fs/xfs/<dev>/stats/stats): one line per group,
 * "<group> <n> <n> ...". The sections prometheus/procfs knows must have their exact value count
 * (or it rejects the file); values are 32-bit except the 64-bit byte counters of xpc,
 * defer_relog and "gc xpc".
 */

/** Allowed value counts per known group. */
const COUNTS: Readonly<Record<string, readonly number[]>> = {
  extent_alloc: [4],
  abt: [4],
  blk_map: [7],
  bmbt: [4],
  dir: [4],
  trans: [3],
  ig: [7],
  log: [5],
  push_ail: [10],
  xstrat: [2],
  rw: [2],
  attr: [4],
  icluster: [3],
  vnodes: [7, 8],
  buf: [9],
  xpc: [3],
  qm: [8, 9],
  debug: [1],
  defer_relog: [1],
  abtb2: [15],
  abtc2: [15],
  bmbt2: [15],
  ibt2: [15],
  fibt2: [15],
  rmapbt: [15],
  refcntbt: [15],
  rmapbt_mem: [15],
  rcbagbt: [15],
  rtrmapbt: [15],
  rtrmapbt_mem: [15],
  rtrefcntbt: [15],
};
/** Groups with a minimum count instead of an exact one. */
const AT_LEAST: Readonly<Record<string, number>> = { zoned: 3, metafile: 1 };
const WIDE = new Set(['xpc', 'defer_relog', 'gc xpc']);

/** Group name → its values, e.g. "ig" → [attempts, found, ...]; the two-word "gc xpc" group keeps its space. */
export type XfsStats = ReadonlyMap<string, readonly number[]>;

export function parseXfsStats(text: string): XfsStats {
  const out = new Map<string, number[]>();
  text.split('\n').forEach((line, i) => {
    const fields = line
      .trim()
      .split(/\s+/)
      .filter((f) => f !== '');
    if (fields.length < 2) return;
    let group = fields[0] ?? '';
    let raw = fields.slice(1);
    if (group === 'gc' && fields.length >= 3 && fields[1] === 'xpc') {
      group = 'gc xpc';
      raw = fields.slice(2);
    }
    const max = WIDE.has(group) ? 2n ** 64n : 2n ** 32n;
    const values = raw.map((v) => {
      if (!/^\d+$/.test(v) || BigInt(v) >= max) throw new ParseError(`invalid ${group} value ${JSON.stringify(v)}`, line, i + 1);
      return Number(v);
    });
    const exact = COUNTS[group] ?? (group === 'gc xpc' ? [1] : undefined);
    const least = AT_LEAST[group];
    if ((exact !== undefined && !exact.includes(values.length)) || (least !== undefined && values.length < least)) {
      throw new ParseError(`${group} has ${values.length} values, want ${exact?.join(' or ') ?? `at least ${least}`}`, line, i + 1);
    }
    out.set(group, values);
  });
  return out;
}
