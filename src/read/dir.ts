import { readdirSync, readlinkSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';

/*
 * Directory listings and link lookups under /proc and /sys, done synchronously behind the same
 * promise signatures as node:fs/promises. These pseudo-filesystems are answered from kernel
 * memory (a listing never waits on a device), and each libuv threadpool round trip cost more
 * than the lookup itself: ~130 µs of main-thread CPU per readdir in this exporter's profile.
 * Not for paths that may be on a network filesystem (textfile directories keep fs/promises).
 */

export async function readdir(path: string): Promise<string[]>;
export async function readdir(path: string, options: { withFileTypes: true }): Promise<Dirent[]>;
export async function readdir(path: string, options?: { withFileTypes: true }): Promise<string[] | Dirent[]> {
  return options?.withFileTypes === true ? readdirSync(path, { withFileTypes: true }) : readdirSync(path);
}

export async function stat(path: string): Promise<Stats> {
  return statSync(path);
}

/** The C library's realpath(3): Node's own realpathSync lstat()s every component of the path in JS. */
export async function realpath(path: string): Promise<string> {
  return realpathSync.native(path);
}

export async function readlink(path: string): Promise<string> {
  return readlinkSync(path);
}
