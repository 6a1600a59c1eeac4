import { ParseError } from '../procfs/parse-error.js';

/**
 * bcache's sysfs attributes (/sys/fs/bcache/<set uuid>/...). bcache prints sizes with
 * bch_hprint(): an integer part, an optional one-digit "fraction" and a binary unit letter
 * ("20.4G"). Its fraction digit counts tenths of 1024ths, which is why prometheus/procfs divides
 * it by 10.24; we read the numbers the same way so our values match node_exporter's.
 */

const UNITS: Readonly<Record<string, number>> = {
  k: 2 ** 10,
  M: 2 ** 20,
  G: 2 ** 30,
  T: 2 ** 40,
  P: 2 ** 50,
  E: 2 ** 60,
  Z: 2 ** 70,
  Y: 2 ** 80,
};

const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseFloatOrThrow(text: string, whole: string): number {
  if (!FLOAT.test(text)) throw new ParseError(`invalid number ${JSON.stringify(whole)}`, whole);
  return Number(text);
}

/**
 * A bch_hprint() value ("20.4G", "512", "1.1M") as unsigned bytes. A letter we do not know as a
 * unit multiplies by 0, as upstream's lookup does.
 */
export function parseBcacheHuman(text: string): number {
  if (text === '') throw new ParseError('empty value');
  const last = text.slice(-1);
  if (last > '9') {
    const [intPart = '', fracPart] = text.slice(0, -1).split('.');
    let mantissa = parseFloatOrThrow(intPart, text);
    if (fracPart !== undefined) mantissa += parseFloatOrThrow(fracPart, text) / 10.24;
    return truncUint(mantissa * (UNITS[last] ?? 0));
  }
  return truncUint(parseFloatOrThrow(text, text));
}

/** Go's uint64(float64): truncation toward zero (negative input is undefined in Go; we clamp to 0). */
function truncUint(x: number): number {
  return x <= 0 ? 0 : Math.trunc(x);
}

/** A signed bch_hprint() value ("-1.2k"). */
export function parseBcacheHumanSigned(text: string): number {
  const negative = text.startsWith('-');
  const magnitude = parseBcacheHuman(negative ? text.slice(1) : text);
  return negative ? -magnitude : magnitude;
}

/** A one-value attribute file: the value is everything before the trailing newline. */
export function parseBcacheValueFile(text: string): number {
  return parseBcacheHuman(text.endsWith('\n') ? text.slice(0, -1) : text);
}

export interface BcacheWritebackRate {
  rate: number;
  dirty: number;
  target: number;
  proportional: number;
  integral: number;
  change: number;
  nextIoMs: number;
}

function lastField(line: string): string {
  return line.trim().split(/\s+/).pop() ?? '';
}

function withLine<T>(line: string, lineNumber: number, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof ParseError) throw new ParseError(err.reason, line, lineNumber);
    throw err;
  }
}

/** bdevN/writeback_rate_debug: "rate: 1.1M/sec", "dirty: 20.4G", ..., "next io: 17ms"; unknown lines skipped. */
export function parseBcacheWritebackRateDebug(text: string): BcacheWritebackRate {
  const out: BcacheWritebackRate = { rate: 0, dirty: 0, target: 0, proportional: 0, integral: 0, change: 0, nextIoMs: 0 };
  text.split('\n').forEach((line, i) => {
    const value = lastField(line);
    const noSec = value.endsWith('/sec') ? value.slice(0, -'/sec'.length) : value;
    withLine(line, i + 1, () => {
      if (line.startsWith('rate:')) out.rate = parseBcacheHuman(noSec);
      else if (line.startsWith('dirty:')) out.dirty = parseBcacheHuman(value);
      else if (line.startsWith('target:')) out.target = parseBcacheHuman(value);
      else if (line.startsWith('proportional:')) out.proportional = parseBcacheHumanSigned(value);
      else if (line.startsWith('integral:')) out.integral = parseBcacheHumanSigned(value);
      else if (line.startsWith('change:')) out.change = parseBcacheHumanSigned(noSec);
      else if (line.startsWith('next io:')) {
        const ms = value.endsWith('ms') ? value.slice(0, -2) : value;
        if (!/^[+-]?\d+$/.test(ms)) throw new ParseError(`invalid next io ${JSON.stringify(value)}`);
        out.nextIoMs = Number(ms);
      }
    });
  });
  return out;
}

export interface BcachePriorityStats {
  unusedPercent: number;
  metadataPercent: number;
}

/** cacheN/priority_stats: of its lines only "Unused: N%" and "Metadata: N%" matter here. */
export function parseBcachePriorityStats(text: string): BcachePriorityStats {
  const out: BcachePriorityStats = { unusedPercent: 0, metadataPercent: 0 };
  text.split('\n').forEach((line, i) => {
    const key = line.startsWith('Unused:') ? 'unusedPercent' : line.startsWith('Metadata:') ? 'metadataPercent' : undefined;
    if (key === undefined) return;
    const raw = lastField(line);
    const value = raw.endsWith('%') ? raw.slice(0, -1) : raw;
    if (!/^\d+$/.test(value)) throw new ParseError(`invalid percentage ${JSON.stringify(raw)}`, line, i + 1);
    out[key] = Number(value);
  });
  return out;
}
