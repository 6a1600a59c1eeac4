import type { Logger } from '../logger.js';
import type { Paths } from '../paths.js';
import { parseMountInfo, type MountInfo } from '../procfs/mountinfo.js';
import { readAndParse } from './files.js';
import { hasErrno } from '../errno.js';

/** Reads the host's mount table: pid 1's, or our own when hidepid hides pid 1. */
export async function readMounts(paths: Paths, logger: Logger): Promise<MountInfo[]> {
  try {
    return await readAndParse(paths.procFilePath('1/mountinfo'), parseMountInfo);
  } catch (err) {
    if (!hasErrno(err, 'ENOENT', 'EACCES')) throw err;
    logger.debug('reading pid 1 mounts failed, falling back to self mounts', { err });
    return readAndParse(paths.procFilePath('self/mountinfo'), parseMountInfo);
  }
}
