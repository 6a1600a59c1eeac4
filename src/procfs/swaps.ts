import { ParseError } from './parse-error.js';

/** One active swap area, a data line of /proc/swaps. */
export interface SwapArea {
  /**
   * The path as the kernel prints it: space, tab, newline and backslash octal-escaped
   * ("/var/swap\040file"), kept escaped because node_exporter labels it that way.
   */
  filename: string;
  /** "partition" (a block device, zram included) or "file". */
  type: string;
  /** KiB. */
  size: number;
  /** KiB. */
  used: number;
  /** Negative for areas swapon gave no priority (the kernel counts down from -2). */
  priority: number;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A decimal the way Go's strconv.Atoi takes it: optional sign, digits, within int64. */
function parseAtoi(text: string | undefined, what: string, line: string, lineNumber: number): number {
  if (text === undefined || !/^[+-]?\d+$/.test(text)) {
    throw new ParseError(`invalid swap ${what} ${JSON.stringify(text ?? '')}`, line, lineNumber);
  }
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX) throw new ParseError(`swap ${what} ${text} is out of range`, line, lineNumber);
  return Number(value);
}

/**
 * /proc/swaps: a header line, then "Filename Type Size Used Priority" per active area. The
 * first line is skipped whatever it says, as procfs does, so an empty file or a lone header
 * means no swap. Every later line must carry the five fields (extra ones are ignored): a blank
 * or short line is a truncated read.
 */
export function parseSwaps(text: string): SwapArea[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const areas: SwapArea[] = [];
  lines.forEach((raw, i) => {
    if (i === 0) return;
    const lineNumber = i + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const [filename, type, size, used, priority] = line
      .trim()
      .split(/\s+/)
      .filter((f) => f !== '');
    if (filename === undefined || type === undefined || priority === undefined) {
      throw new ParseError('swap line has fewer than 5 fields', line, lineNumber);
    }
    areas.push({
      filename,
      type,
      size: parseAtoi(size, 'size', line, lineNumber),
      used: parseAtoi(used, 'used', line, lineNumber),
      priority: parseAtoi(priority, 'priority', line, lineNumber),
    });
  });
  return areas;
}
