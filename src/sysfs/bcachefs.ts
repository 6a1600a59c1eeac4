import { ParseError, parseUint } from '../procfs/parse-error.js';

/**
 * The text attributes of a mounted bcachefs under /sys/fs/bcachefs/<uuid>. bcachefs prints
 * sizes "human readable" (2.05G, 28.2k, 720): powers of 1024, a decimal mantissa.
 */

const UNITS: Readonly<Record<string, number>> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5, e: 1024 ** 6 };

/** A bcachefs human-readable size in bytes, truncated to an integer as upstream's uint64 cast does. */
export function parseBcachefsBytes(text: string, line?: string, lineNumber?: number): number {
  let s = text.trim();
  const unit = UNITS[s.slice(-1).toLowerCase()];
  if (unit !== undefined) s = s.slice(0, -1).trim();
  if (!/^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    throw new ParseError(`invalid size ${JSON.stringify(text.trim())}`, line ?? text, lineNumber);
  }
  return Math.trunc(Number(s) * (unit ?? 1));
}

function lines(text: string): { fields: string[]; line: string; lineNumber: number }[] {
  return text.split('\n').map((line, i) => ({
    fields: line
      .trim()
      .split(/\s+/)
      .filter((f) => f !== ''),
    line,
    lineNumber: i + 1,
  }));
}

export interface BcachefsCompression {
  algorithm: string;
  compressedBytes: number;
  uncompressedBytes: number;
}

/** compression_stats: a header line, then "<algorithm> <compressed> <uncompressed> [<avg extent>]". */
export function parseBcachefsCompressionStats(text: string): BcachefsCompression[] {
  const out = new Map<string, BcachefsCompression>();
  for (const { fields, line, lineNumber } of lines(text).slice(1)) {
    if (fields.length < 3) continue;
    const [name = '', compressed = '', uncompressed = '', avgExtent] = fields;
    const algorithm = name.endsWith(':') ? name.slice(0, -1) : name;
    const entry = {
      algorithm,
      compressedBytes: parseBcachefsBytes(compressed, line, lineNumber),
      uncompressedBytes: parseBcachefsBytes(uncompressed, line, lineNumber),
    };
    if (avgExtent !== undefined) parseBcachefsBytes(avgExtent, line, lineNumber);
    out.set(algorithm, entry);
  }
  return [...out.values()];
}

/** errors: "<error type> <count> [<last seen, unix time>]" per line; type → count. */
export function parseBcachefsErrors(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const { fields, line, lineNumber } of lines(text)) {
    if (fields.length < 2) continue;
    const [name = '', count, time] = fields;
    const value = parseUint(count, `count of ${name}`, line, lineNumber);
    if (time !== undefined) parseUint(time, `time of ${name}`, line, lineNumber);
    out.set(name, value);
  }
  return out;
}

export interface BcachefsCounter {
  sinceMount?: number;
  sinceFilesystemCreation?: number;
}

/** One file of counters/: "since mount: N" and "since filesystem creation: N" (sizes may carry a unit). */
export function parseBcachefsCounter(text: string): BcachefsCounter {
  const out: BcachefsCounter = {};
  for (const { line, lineNumber } of lines(text)) {
    if (line.startsWith('since mount:')) out.sinceMount = parseBcachefsBytes(line.slice('since mount:'.length), line, lineNumber);
    else if (line.startsWith('since filesystem creation:')) {
      out.sinceFilesystemCreation = parseBcachefsBytes(line.slice('since filesystem creation:'.length), line, lineNumber);
    }
  }
  if (out.sinceMount === undefined && out.sinceFilesystemCreation === undefined) {
    throw new ParseError('counter file has neither "since mount:" nor "since filesystem creation:"');
  }
  return out;
}

export interface BcachefsBtreeWrite {
  type: string;
  count: number;
  averageSizeBytes: number;
}

/** btree_write_stats: a header line, then "<type>: <nr> <average size>". */
export function parseBcachefsBtreeWriteStats(text: string): BcachefsBtreeWrite[] {
  const out = new Map<string, BcachefsBtreeWrite>();
  for (const { fields, line, lineNumber } of lines(text).slice(1)) {
    if (fields.length < 3) continue;
    const [name = '', count, size = ''] = fields;
    const type = name.endsWith(':') ? name.slice(0, -1) : name;
    out.set(type, { type, count: parseUint(count, `count of ${type}`, line, lineNumber), averageSizeBytes: parseBcachefsBytes(size, line, lineNumber) });
  }
  return [...out.values()];
}

export interface BcachefsIoDone {
  operation: string;
  dataType: string;
  bytes: number;
}

/** dev-N/io_done: "read:" and "write:" sections of "<data type> : <bytes>" lines. */
export function parseBcachefsIoDone(text: string): BcachefsIoDone[] {
  const out = new Map<string, BcachefsIoDone>();
  let operation: string | undefined;
  for (const { line, lineNumber } of lines(text)) {
    const t = line.trim();
    if (t === '') continue;
    if (t === 'read:' || t === 'write:') {
      operation = t.slice(0, -1);
      continue;
    }
    const colon = t.indexOf(':');
    if (operation === undefined || colon < 0) continue;
    const dataType = t.slice(0, colon).trim();
    out.set(`${operation}\0${dataType}`, { operation, dataType, bytes: parseUint(t.slice(colon + 1).trim(), `bytes of ${dataType}`, line, lineNumber) });
  }
  return [...out.values()];
}

/**
 * dev-N/io_errors: only the "IO errors since filesystem creation" section, "<type>: <count>" per
 * line; it ends at the next "IO errors since ..." heading.
 */
export function parseBcachefsIoErrors(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let inSection = false;
  for (const { line, lineNumber } of lines(text)) {
    if (line.startsWith('IO errors since filesystem creation')) {
      inSection = true;
      continue;
    }
    if (line.startsWith('IO errors since ')) break;
    const t = line.trim();
    const colon = t.indexOf(':');
    if (!inSection || colon < 0) continue;
    const type = t.slice(0, colon).trim();
    out.set(type, parseUint(t.slice(colon + 1).trim(), `count of ${type}`, line, lineNumber));
  }
  return out;
}
