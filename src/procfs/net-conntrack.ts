import { ParseError, parseUint } from './parse-error.js';

/** One CPU's line of /proc/net/stat/nf_conntrack: the counters node_exporter reports. */
export interface ConntrackCpuStat {
  found: number;
  invalid: number;
  ignore: number;
  insert: number;
  insertFailed: number;
  drop: number;
  earlyDrop: number;
  /** Absent before Linux 2.6.35 (16 columns): 0. */
  searchRestart: number;
}

/**
 * /proc/net/stat/nf_conntrack: a header, then one line per CPU of 16 or 17 hex counters in
 * fixed positions (the kernel has renamed some headers over time but kept the positions).
 */
export function parseConntrackStat(text: string): ConntrackCpuStat[] {
  const out: ConntrackCpuStat[] = [];
  text.split('\n').forEach((line, i) => {
    const lineNumber = i + 1;
    if (i === 0 || line.trim() === '') return;
    const fields = line.trim().split(/\s+/);
    if (fields.length < 16 || fields.length > 17) {
      throw new ParseError(`nf_conntrack line has ${fields.length} columns, want 16 or 17`, line, lineNumber);
    }
    const v = fields.map((f, j) => {
      if (!/^[0-9a-fA-F]{1,16}$/.test(f)) throw new ParseError(`invalid hex counter ${JSON.stringify(f)} in column ${j + 1}`, line, lineNumber);
      return Number(BigInt(`0x${f}`));
    });
    const at = (j: number) => v[j] ?? 0;
    out.push({
      found: at(2),
      invalid: at(4),
      ignore: at(5),
      insert: at(8),
      insertFailed: at(9),
      drop: at(10),
      earlyDrop: at(11),
      searchRestart: fields.length === 17 ? at(16) : 0,
    });
  });
  return out;
}

/** A one-number file such as /proc/sys/net/netfilter/nf_conntrack_count ("123\n"). */
export function parseSingleUint(text: string): number {
  const value = text.trim();
  return parseUint(value, 'value', value, 1);
}
