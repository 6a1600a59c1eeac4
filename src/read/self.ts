import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { Paths } from '../paths.js';
import { parseAuxvPageSize } from '../procfs/auxv.js';

/*
 * The exporter's own process and namespaces, whatever --path.procfs and --path.sysfs say: its
 * mount table, its network namespace, its status, limits and page size. The one way the rest of
 * the exporter reaches /proc/self (and the /proc and /sys of its own namespaces).
 */

const OWN = new Paths();

/** Default roots: the /proc and /sys this process sees (its own network namespace's). */
export const ownPaths = (): Paths => OWN;

/** A file of /proc/self: this process, never the host's view through --path.procfs. */
export function ownProcFile(name: string): string {
  return OWN.procFilePath(`self/${name}`);
}

const WORD_BYTES: 4 | 8 = ['arm', 'ia32', 'mips', 'mipsel', 'ppc'].includes(process.arch) ? 4 : 8;

let pageSize: Promise<number> | undefined;

/** This machine's page size in bytes, read once per process (our own auxv, not --path.procfs). */
export function systemPageSize(): Promise<number> {
  pageSize ??= readFile(ownProcFile('auxv')).then(
    (buf) => parseAuxvPageSize(buf, WORD_BYTES, endianness() === 'LE'),
    (err: unknown) => {
      pageSize = undefined; // try again next time rather than failing forever
      throw err;
    },
  );
  return pageSize;
}
