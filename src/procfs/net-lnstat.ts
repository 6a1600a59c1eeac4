import { ParseError } from './parse-error.js';

/** Column name → one value per CPU line, in file order. */
export type LnstatFile = Map<string, number[]>;

/**
 * A /proc/net/stat/<cache> file (arp_cache, ndisc_cache, rt_cache, nf_conntrack, ...): a
 * header of column names, then one line of hex counters per CPU. Every line must have as many
 * counters as the header has names, or the per-CPU columns would be misattributed.
 */
export function parseLnstat(text: string): LnstatFile {
  const lines = text.split('\n');
  const headers = (lines[0] ?? '')
    .trim()
    .split(/\s+/)
    .filter((h) => h !== '');
  const out: LnstatFile = new Map(headers.map((h) => [h, []]));
  if (out.size !== headers.length) throw new ParseError('duplicate column name in header', lines[0], 1);
  lines.forEach((line, i) => {
    const lineNumber = i + 1;
    if (i === 0 || line.trim() === '') return;
    const fields = line.trim().split(/\s+/);
    if (fields.length !== headers.length) {
      throw new ParseError(`line has ${fields.length} counters, the header names ${headers.length}`, line, lineNumber);
    }
    fields.forEach((f, j) => {
      if (!/^[0-9a-fA-F]{1,16}$/.test(f)) throw new ParseError(`invalid hex counter ${JSON.stringify(f)}`, line, lineNumber);
      out.get(headers[j] ?? '')?.push(Number(BigInt(`0x${f}`)));
    });
  });
  return out;
}
