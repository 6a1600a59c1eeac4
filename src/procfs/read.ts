import { open } from 'node:fs/promises';
import { ParseError } from './parse-error.js';

/**
 * Files under /proc and /sys report a size of 0 or 4096 whatever they hold, so their size
 * cannot be trusted: read until EOF, but never more than `limit` bytes. A file bigger than the
 * cap is an error rather than a silently truncated parse.
 */
export const READ_LIMIT = 1024 * 1024;

export async function readProcFile(path: string, limit = READ_LIMIT): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(64 * 1024, limit + 1 - total));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) {
        throw new ParseError(`file is larger than the ${limit}-byte read limit`).withFile(path);
      }
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Runs a pure parser on a file's text and names the file in any ParseError it throws.
 * This is the one way collectors turn a path into a typed record.
 */
export async function readAndParse<T>(path: string, parse: (text: string) => T): Promise<T> {
  const text = await readProcFile(path);
  try {
    return parse(text);
  } catch (err) {
    if (err instanceof ParseError) throw err.withFile(path);
    throw err;
  }
}

/** For `.catch()`: a missing file or directory yields `fallback`; any other error propagates. */
export function ifMissing<T>(fallback: T): (err: unknown) => T {
  return (err) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw err;
  };
}
