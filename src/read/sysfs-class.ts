import path from 'node:path';
import { NoDataError } from '../collector.js';
import { readdir } from './dir.js';
import { readAttributes } from './files.js';
import { hasErrno } from '../errno.js';

/** The entries of a directory, sorted; a missing directory is "no data" (upstream's ErrNoData). */
export async function listOrNoData(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) throw new NoDataError(`${dir} does not exist`);
    throw err;
  }
}

/**
 * Reads the named attribute files of every device of a class directory, one batch for all.
 * Missing attributes are left out of the device's map; other read errors propagate.
 */
export async function readClassAttributes<F extends string>(classDir: string, files: readonly F[]): Promise<Map<string, Map<F, string>>> {
  const devices = (await readdir(classDir)).sort();
  // Started together, so the reads still go to the addon in one trip.
  const attrs = await Promise.all(devices.map((d) => readAttributes(path.join(classDir, d), files, false)));
  return new Map(devices.map((d, i) => [d, attrs[i] ?? new Map<F, string>()]));
}
