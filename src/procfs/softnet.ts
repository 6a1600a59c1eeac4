import { ParseError } from './parse-error.js';

/** One row of /proc/net/softnet_stat: one CPU's packet-processing counters. */
export interface SoftnetCpu {
  /** The CPU the row belongs to: its own column since Linux 5.14, else the row number. */
  cpu: number;
  processed: number;
  dropped: number;
  timeSqueezed: number;
  cpuCollision: number;
  /** 0 before Linux 2.6.39 added the column. */
  receivedRps: number;
  /** 0 before Linux 4.18. */
  flowLimitCount: number;
  /** 0 before Linux 5.14. */
  backlogLen: number;
}

/** Columns every kernel since 2.6.23 prints; the rest were appended over time. */
const MIN_COLUMNS = 9;

/**
 * Every column is 8 hex digits of a 32-bit counter (they wrap). Columns 3-7 are always zero
 * and unexported. Since 5.14 the kernel skips offline CPUs and prints the CPU number in
 * column 12, so the row number is only the CPU on older kernels.
 */
export function parseSoftnet(text: string): SoftnetCpu[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line, row) => {
    const lineNumber = row + 1;
    const cols = line.split(/\s+/).filter((f) => f !== '');
    if (cols.length < MIN_COLUMNS) {
      throw new ParseError(`softnet_stat row has ${cols.length} columns, want at least ${MIN_COLUMNS}`, line, lineNumber);
    }
    const hex = (i: number): number => {
      const text = cols[i];
      if (text === undefined) return 0;
      if (!/^[0-9a-fA-F]{1,8}$/.test(text)) throw new ParseError(`invalid hex counter in column ${i} ${JSON.stringify(text)}`, line, lineNumber);
      return parseInt(text, 16);
    };
    for (let i = 3; i < 8; i++) hex(i);
    return {
      cpu: cols.length >= 13 ? hex(12) : row,
      processed: hex(0),
      dropped: hex(1),
      timeSqueezed: hex(2),
      cpuCollision: hex(8),
      receivedRps: hex(9),
      flowLimitCount: hex(10),
      backlogLen: cols.length >= 13 ? hex(11) : 0,
    };
  });
}
