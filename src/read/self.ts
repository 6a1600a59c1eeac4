import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { parseTzif, type Tzif } from '../etc/tzif.js';
import { readFiles } from '../native.js';
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

/** Where Go's time package looks for a zone named by $TZ, in order. */
const ZONE_SOURCES = ['/usr/share/zoneinfo', '/usr/share/lib/zoneinfo', '/usr/lib/locale/TZ', '/etc/zoneinfo'];

/**
 * The files the process's local time zone may come from, in the order Go's time package tries
 * them (what node_exporter's time_zone label is read from): /etc/localtime when $TZ is unset; a
 * path when $TZ is one (a leading ":" dropped); else the name under each zoneinfo directory.
 * Empty for UTC ($TZ empty or "UTC").
 */
export function localZoneFiles(tz: string | undefined = process.env.TZ): string[] {
  if (tz === undefined) return ['/etc/localtime'];
  const name = tz.startsWith(':') ? tz.slice(1) : tz;
  if (name === '' || name === 'UTC') return [];
  if (name.startsWith('/')) return [name];
  // A name may not climb out of the zoneinfo directories.
  if (name.split('/').includes('..')) return [];
  return ZONE_SOURCES.map((dir) => `${dir}/${name}`);
}

let localZone: Promise<Tzif | undefined> | undefined;

/**
 * The process's local time zone file, parsed; read once (Node fixes its own zone at start too).
 * Undefined when there is none or it cannot be read or parsed: as Go does, the zone is then UTC.
 */
export function readLocalZone(): Promise<Tzif | undefined> {
  localZone ??= (async () => {
    for (const file of localZoneFiles()) {
      const [r] = await readFiles([file], 1 << 20);
      if (r === undefined || r instanceof Error) continue;
      try {
        return parseTzif(r);
      } catch {
        return undefined;
      }
    }
    return undefined;
  })();
  return localZone;
}
