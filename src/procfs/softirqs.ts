import { ParseError, parseUint } from './parse-error.js';

/** /proc/softirqs: each row's name as the kernel prints it ("NET_RX") → its count on each CPU, in column order. */
export type Softirqs = Map<string, number[]>;

/**
 * A header of "CPUn" column names, then one "NAME:  c0  c1 ..." row per softirq type. Rows are
 * kept whatever their name, so the caller chooses which to export; a row with no counts
 * carries nothing and is skipped.
 */
export function parseSoftirqs(text: string): Softirqs {
  const lines = text.split('\n');
  const header = lines[0] ?? '';
  if (!/^\s*CPU\d+/.test(header)) throw new ParseError('softirqs does not start with a CPU header', header, 1);
  const rows: Softirqs = new Map();
  lines.forEach((line, i) => {
    if (i === 0) return;
    const lineNumber = i + 1;
    const fields = line.split(/\s+/).filter((f) => f !== '');
    const [name, ...counts] = fields;
    if (name === undefined || counts.length === 0) return;
    if (!name.endsWith(':') || name.length < 2) throw new ParseError('softirqs row does not start with "NAME:"', line, lineNumber);
    const key = name.slice(0, -1);
    rows.set(
      key,
      counts.map((c, cpu) => parseUint(c, `${key} count of CPU ${cpu}`, line, lineNumber)),
    );
  });
  return rows;
}
