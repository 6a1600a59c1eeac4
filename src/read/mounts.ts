import type { Logger } from '../logger.js';
import { fdClose, fdOpen, fdPoll, POLLERR, POLLPRI, statfs } from '../native.js';
import type { Paths } from '../paths.js';
import { parseMountInfo, type MountInfo } from '../procfs/mountinfo.js';
import { parseFileText, readProcFile } from './files.js';
import { hasErrno } from '../errno.js';

/**
 * A mount table may be far larger than other /proc files: a Kubernetes node with thousands of
 * pod volumes has megabytes of it.
 */
const MOUNTINFO_LIMIT = 64 * 1024 * 1024;

/** The host's mount table as text, and the file it came from. */
export interface MountTableText {
  path: string;
  text: string;
}

/** Reads the host's mount table: pid 1's, or our own when hidepid hides pid 1. */
export async function readMountsText(paths: Paths, logger: Logger): Promise<MountTableText> {
  const pid1 = paths.procFilePath('1/mountinfo');
  try {
    return { path: pid1, text: await readProcFile(pid1, MOUNTINFO_LIMIT) };
  } catch (err) {
    if (!hasErrno(err, 'ENOENT', 'EACCES')) throw err;
    logger.debug('reading pid 1 mounts failed, falling back to self mounts', { err });
    const self = paths.procFilePath('self/mountinfo');
    return { path: self, text: await readProcFile(self, MOUNTINFO_LIMIT) };
  }
}

/** The host's mount table, parsed. */
export async function readMounts(paths: Paths, logger: Logger): Promise<MountInfo[]> {
  const { path, text } = await readMountsText(paths, logger);
  return parseFileText(path, text, parseMountInfo);
}

/** statfs f_type of procfs (linux/magic.h). */
const PROC_SUPER_MAGIC = 0x9fa0;

/**
 * The host's mount table, read again only after it changed. The kernel flags an open
 * /proc/<pid>/mountinfo with POLLPRI after every change of that mount namespace's table, so a
 * scrape with nothing mounted or unmounted since the last costs one poll instead of reading
 * (and comparing) the whole table. The fd is opened before the first read: a change between the
 * two is flagged, never lost. Where the table is not a procfs file (fixtures) or cannot be
 * watched, every call reads it.
 */
export class MountTableReader {
  /** The watched file and its fd; null once watching is off. */
  private watch: { path: string; fd: number } | null | undefined;
  private last: MountTableText | undefined;

  constructor(
    private readonly paths: Paths,
    private readonly logger: Logger,
  ) {}

  /** Calls in turn: see read(). */
  private turn: Promise<unknown> = Promise.resolve();

  /**
   * The table, and whether it is the one returned last time (not read again). Concurrent calls
   * (concurrent scrapes) take turns: the kernel flags a change to one poll only, so a second
   * poll running beside the first would see no change and return the old table while the first
   * is still reading the new one. In turn, the second finds the new table already read.
   */
  read(): Promise<MountTableText & { unchanged: boolean }> {
    const mine = this.turn.then(() => this.readNow());
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  private async readNow(): Promise<MountTableText & { unchanged: boolean }> {
    if (this.watch != null && this.last !== undefined) {
      const revents = await fdPoll(this.watch.fd, POLLPRI).catch((err: unknown) => {
        this.stopWatching('polling the mount table failed; reading it every scrape', err);
        return POLLPRI;
      });
      if ((revents & (POLLPRI | POLLERR)) === 0) return { ...this.last, unchanged: true };
      // The flag is consumed: should the read below fail, the next call must read again.
      this.last = undefined;
    }
    if (this.watch === undefined) this.watch = await this.openWatch();
    const table = await readMountsText(this.paths, this.logger);
    if (this.watch != null && this.watch.path !== table.path) this.stopWatching('the mount table came from another file than the watched one', undefined);
    this.last = table;
    return { ...table, unchanged: false };
  }

  private async openWatch(): Promise<{ path: string; fd: number } | null> {
    for (const path of [this.paths.procFilePath('1/mountinfo'), this.paths.procFilePath('self/mountinfo')]) {
      try {
        if ((await statfs(path)).type !== PROC_SUPER_MAGIC) return null;
        return { path, fd: await fdOpen(path) };
      } catch (err) {
        if (!hasErrno(err, 'ENOENT', 'EACCES')) {
          this.logger.debug('cannot watch the mount table; reading it every scrape', { err });
          return null;
        }
      }
    }
    return null;
  }

  private stopWatching(why: string, err: unknown): void {
    if (this.watch == null) return;
    this.logger.debug(why, { err });
    void fdClose(this.watch.fd).catch(() => undefined);
    this.watch = null;
  }
}
