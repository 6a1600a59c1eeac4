import { NoDataError } from '../collector.js';
import { readTexts, readTextThen, SyscallError } from '../native.js';
import { hasErrno } from '../errno.js';
import { ParseError } from '../procfs/parse-error.js';

/**
 * Files under /proc and /sys report a size of 0 or 4096 whatever they hold, so their size
 * cannot be trusted: read until EOF, but never more than `limit` bytes. A file bigger than the
 * cap is an error rather than a silently truncated parse.
 */
export const READ_LIMIT = 1024 * 1024;

function decode(path: string, r: string | SyscallError, limit: number): string {
  if (typeof r === 'string') return r;
  throw r.code === 'EFBIG' ? tooBig(path, limit) : r;
}

function tooBig(path: string, limit: number): ParseError {
  return new ParseError(`file is larger than the ${limit}-byte read limit`).withFile(path);
}

/**
 * Reads one file whole, on the addon's threads (one hop; fs/promises would take four).
 * Errors carry the errno `code` (ENOENT, EACCES, ...) and name the path.
 */
export function readProcFile(path: string, limit = READ_LIMIT, mayHang = false): Promise<string> {
  return readTextThen(path, limit, mayHang, decodeRead, limit);
}

function decodeRead(r: string | SyscallError, path: string, limit: number): string {
  return decode(path, r, limit);
}

/**
 * Reads many files in one trip (a sysfs directory's attributes, say). Each entry is the text
 * or the error for that file, so one unreadable attribute need not fail the rest.
 */
export async function readProcFiles(paths: readonly string[], limit = READ_LIMIT, mayHang = false): Promise<(string | Error)[]> {
  const results: (string | Error)[] = await readTexts(paths, limit, mayHang);
  // In place: a file over the limit becomes its ParseError, other errors stay as they are.
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    if (r instanceof SyscallError && r.code === 'EFBIG') results[i] = tooBig(paths[i] ?? '', limit);
  }
  return results;
}

/**
 * Runs a pure parser on a file's text and names the file in any ParseError it throws.
 * This is the one way collectors turn a path into a typed record.
 */
export function readAndParse<T>(path: string, parse: (text: string) => T): Promise<T> {
  // One promise per file, parsed as the read completes (collectors call this for most of what they read).
  return readTextThen(path, READ_LIMIT, false, parseRead<T>, parse);
}

function parseRead<T>(r: string | SyscallError, path: string, parse: (text: string) => T): T {
  return parseFileText(path, decode(path, r, READ_LIMIT), parse);
}

/** For `.catch()`: a missing file or directory yields `fallback`; any other error propagates. */
export function ifMissing<T>(fallback: T): (err: unknown) => T {
  return (err) => {
    if (hasErrno(err, 'ENOENT')) return fallback;
    throw err;
  };
}

/** Runs `fn` (parsing of what came from `path`), naming the file in any ParseError it throws. */
export function withFileName<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw named(err, path);
  }
}

/** Runs a pure parser on text already read from `path` (a batched read), naming the file in any ParseError. */
export function parseFileText<T>(path: string, text: string, parse: (text: string) => T): T {
  // withFileName without a closure per file.
  try {
    return parse(text);
  } catch (err) {
    throw named(err, path);
  }
}

/** A ParseError with the file it came from; any other error as it is. */
function named(err: unknown, path: string): unknown {
  return err instanceof ParseError ? err.withFile(path) : err;
}

/**
 * Reads some attribute files of one sysfs directory in a single batch, as procfs' SysReadFile
 * does (each text whitespace-trimmed unless `trim` is false). A file that does not exist is left
 * out of the map (the driver does not offer it); any other error (EACCES, EIO) throws.
 */
export async function readAttributes<F extends string>(dir: string, names: readonly F[], trim = true): Promise<Map<F, string>> {
  const results = await readProcFiles(names.map((n) => `${dir}/${n}`));
  const out = new Map<F, string>();
  names.forEach((name, i) => {
    const r = results[i];
    if (typeof r === 'string') out.set(name, trim ? r.trim() : r);
    else if (r !== undefined && !hasErrno(r, 'ENOENT')) throw r;
  });
  return out;
}

/**
 * For `.catch()`: a missing file or directory means "nothing to report on this host" (module
 * not loaded, feature not built in) — NoDataError, as node_exporter's ErrNoData; other errors
 * propagate.
 */
export function noDataIfMissing(what: string): (err: unknown) => never {
  return (err) => {
    if (hasErrno(err, 'ENOENT')) throw new NoDataError(`${what} does not exist`);
    throw err;
  };
}

/** A read started before its list was known: the list it read and what came back. */
export interface EarlyRead {
  readonly files: readonly string[];
  readonly texts: Promise<(string | Error)[]>;
}

/**
 * Reads whose list comes from another read (a device's sysfs files from the devices /proc
 * lists) but is almost always the list of the scrape before. start() reads that list at once,
 * in the scrape's first trip to the addon; read() serves this scrape's list from it when it is
 * the same list, and reads it afresh otherwise (a device came or went). One trip fewer on the
 * scrape's path, the same files read within the same scrape.
 */
export class ReadAhead {
  /** The last list read, frozen: its joined form is kept (see native.ts) and it is compared. */
  private last: readonly string[] = Object.freeze([]);

  /** Starts reading the previous scrape's list (none the first time). */
  start(): EarlyRead | undefined {
    const files = this.last;
    if (files.length === 0) return undefined;
    const texts = readProcFiles(files);
    // Awaited by read(), unless the collector fails before it gets there.
    texts.catch(() => {});
    return { files, texts };
  }

  /** This scrape's files: the early read's texts when it read this very list, a new read otherwise. */
  read(files: readonly string[], early: EarlyRead | undefined): Promise<(string | Error)[]> {
    if (early !== undefined && sameList(early.files, files)) return early.texts;
    if (!sameList(this.last, files)) this.last = Object.freeze([...files]);
    return readProcFiles(this.last);
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
