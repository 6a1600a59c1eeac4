import type { Paths } from '../paths.js';
import { cpuinfoFormatFor, parseCpuinfo, type CpuinfoEntry } from '../procfs/cpuinfo.js';
import { readdir } from './dir.js';
import { ifMissing, readAndParse } from './files.js';
import { cpuDirNumber } from '../sysfs/cpu.js';

/** Under the sysfs root: the CPU directories cpu and cpufreq both read. */
export const CPU_SYSFS_DIR = 'devices/system/cpu';

export interface SysfsCpu {
  /** "cpu12" */
  name: string;
  number: number;
}

/**
 * The cpuN directories of /sys/devices/system/cpu, sorted by name as a glob lists them (cpu10
 * before cpu2): where upstream takes "the first CPU", it is the first of this order.
 */
export function listSysfsCpus(paths: Paths): Promise<readonly SysfsCpu[]> {
  // cpu and cpufreq both list the CPUs as a scrape starts its collectors: the listing made in
  // this turn of the event loop serves them both (the directory changes only on hotplug).
  const dir = paths.sysFilePath(CPU_SYSFS_DIR);
  if (thisTurn?.dir === dir) return thisTurn.cpus;
  const cpus = listCpus(dir);
  thisTurn = { dir, cpus };
  setImmediate(() => {
    thisTurn = undefined;
  });
  return cpus;
}

let thisTurn: { dir: string; cpus: Promise<readonly SysfsCpu[]> } | undefined;

async function listCpus(dir: string): Promise<SysfsCpu[]> {
  const names = await readdir(dir).catch(ifMissing([] as string[]));
  const cpus: SysfsCpu[] = [];
  for (const name of names.sort()) {
    const number = cpuDirNumber(name);
    if (number !== undefined) cpus.push({ name, number });
  }
  return cpus;
}

/** /proc/cpuinfo in the layout of `arch` (process.arch, or another in tests). */
export async function readCpuinfo(file: string, arch: string): Promise<CpuinfoEntry[]> {
  const format = cpuinfoFormatFor(arch);
  // node_exporter has parsers for ppc64, s390x, riscv64, mips and loong64 too; we do not yet.
  if (format === undefined) throw new Error(`${file}: the /proc/cpuinfo layout of ${arch} is not supported`);
  return readAndParse(file, (text) => parseCpuinfo(text, format));
}
