import { ParseError } from './parse-error.js';

/**
 * The kstat text files of OpenZFS on Linux under /proc/spl/kstat/zfs. A "named" kstat is a
 * header line, a "name type data" line, then one "name type value" line per statistic; the type
 * is a KSTAT_DATA_* number. node_exporter exports only the 64-bit integer ones.
 */

export const KSTAT_DATA_INT64 = '3';
export const KSTAT_DATA_UINT64 = '4';
export const KSTAT_DATA_STRING = '7';

export interface ZfsKstat {
  name: string;
  value: number;
}

const U64_MAX = 2n ** 64n - 1n;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

function parseKstatInt(text: string, signed: boolean, name: string, line: string, lineNumber: number): number {
  const ok = signed ? /^[+-]?\d+$/.test(text) : /^\d+$/.test(text);
  const big = ok ? BigInt(text) : undefined;
  if (big === undefined || (signed ? big < I64_MIN || big > I64_MAX : big > U64_MAX)) {
    throw new ParseError(`invalid ${signed ? 'signed' : 'unsigned'} 64-bit value of ${name} ${JSON.stringify(text)}`, line, lineNumber);
  }
  return Number(big);
}

interface KstatRow {
  fields: string[];
  line: string;
  lineNumber: number;
}

/** The rows after the "name type data" line; undefined when the file has no such line. */
function kstatRows(text: string): KstatRow[] | undefined {
  const rows: KstatRow[] = [];
  let started = false;
  text.split('\n').forEach((line, i) => {
    const fields = line
      .trim()
      .split(/\s+/)
      .filter((f) => f !== '');
    if (!started) {
      started = fields.length === 3 && fields[0] === 'name' && fields[1] === 'type' && fields[2] === 'data';
      return;
    }
    // Shorter lines (a string kstat with an empty value) carry nothing node_exporter exports.
    if (fields.length >= 3) rows.push({ fields, line, lineNumber: i + 1 });
  });
  return started ? rows : undefined;
}

/**
 * A named kstat (arcstats, dmu_tx, zil, ...): its 64-bit integer statistics in file order.
 * Other types (strings, 32-bit) are skipped as upstream skips them.
 */
export function parseZfsKstat(text: string): ZfsKstat[] {
  const rows = kstatRows(text);
  if (rows === undefined) throw new ParseError('no "name type data" header line');
  const out: ZfsKstat[] = [];
  for (const { fields, line, lineNumber } of rows) {
    const [name = '', type, value = ''] = fields;
    if (type !== KSTAT_DATA_UINT64 && type !== KSTAT_DATA_INT64) continue;
    out.push({ name, value: parseKstatInt(value, type === KSTAT_DATA_INT64, name, line, lineNumber) });
  }
  return out;
}

export interface ZfsObjset {
  /** The dataset_name string kstat, spaces inside the name kept; undefined when the file has none. */
  dataset: string | undefined;
  stats: ZfsKstat[];
}

/** A pool's objset-0x... kstat: the dataset name and its unsigned 64-bit counters. */
export function parseZfsObjset(text: string): ZfsObjset {
  const rows = kstatRows(text);
  if (rows === undefined) throw new ParseError('no "name type data" header line');
  let dataset: string | undefined;
  const stats: ZfsKstat[] = [];
  for (const { fields, line, lineNumber } of rows) {
    const [name = '', type, value = ''] = fields;
    if (name === 'dataset_name') {
      // Everything after the type column: dataset names may hold (runs of) spaces.
      dataset = /^\s*\S+\s+\S+\s+(.*)$/.exec(line)?.[1] ?? value;
      continue;
    }
    if (type !== KSTAT_DATA_UINT64) continue;
    stats.push({ name, value: parseKstatInt(value, false, name, line, lineNumber) });
  }
  return { dataset, stats };
}

/**
 * A pool's io kstat (KSTAT_TYPE_IO): a header row naming the columns (nread nwritten reads
 * writes wtime ...) and a row of values. Every value row after the header is read; the last wins
 * for a repeated name, as each value would overwrite the series.
 */
export function parseZfsPoolIo(text: string): ZfsKstat[] {
  let columns: string[] | undefined;
  const out: ZfsKstat[] = [];
  text.split('\n').forEach((line, i) => {
    const fields = line
      .trim()
      .split(/\s+/)
      .filter((f) => f !== '');
    if (columns === undefined) {
      if (fields.length >= 12 && fields[0] === 'nread') columns = fields;
      return;
    }
    if (fields.length === 0) return;
    if (fields.length < columns.length) {
      throw new ParseError(`io row has ${fields.length} values, want ${columns.length}`, line, i + 1);
    }
    columns.forEach((name, c) => out.push({ name, value: parseKstatInt(fields[c] ?? '', false, name, line, i + 1) }));
  });
  return out;
}

/** The states upstream reports for every pool, one series each. */
export const ZPOOL_STATES = ['online', 'degraded', 'faulted', 'offline', 'removed', 'unavail', 'suspended'] as const;

/** A pool's state file ("ONLINE\n"): the state, lower-cased; '' for an empty file. */
export function parseZfsPoolState(text: string): string {
  return (text.split('\n')[0] ?? '').toLowerCase();
}
