import { readdir } from '../procfs/dir.js';
import { booleanOption, family, type CollectorDefinition, type MetricFamily, type Sample } from '../collector.js';
import { compileRegexp } from '../config.js';
import type { Logger } from '../logger.js';
import type { Paths } from '../paths.js';
import { hasErrno, ifMissing, readAndParse } from '../procfs/read.js';
import { CPU_TIME_FIELDS, parseStat, zeroCpuTimes, type CpuTimes } from '../procfs/stat.js';
import { parseUintValue } from '../procfs/value-file.js';
import { cpuDirNumber, parseCpuList, parseCpuOnline } from '../sysfs/cpu.js';
import { cpuInfoFamilies } from './cpu-info.js';

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
export async function listSysfsCpus(paths: Paths): Promise<SysfsCpu[]> {
  const names = await readdir(paths.sysFilePath(CPU_SYSFS_DIR)).catch(ifMissing([] as string[]));
  const cpus: SysfsCpu[] = [];
  for (const name of names.sort()) {
    const number = cpuDirNumber(name);
    if (number !== undefined) cpus.push({ name, number });
  }
  return cpus;
}

/**
 * An idle counter that drops by this much or more means the CPU went away and came back
 * (hotplug): its counters restarted, so start again from them rather than hold the old ones.
 */
const JUMP_BACK_SECONDS = 3;

/**
 * /proc/stat's per-CPU counters can step back a tick now and then (they are sampled per CPU
 * without a lock, and iowait is not monotonic by design). A counter must never decrease, so
 * each field keeps its highest value seen, as node_exporter does.
 */
export class CpuTimesCache {
  private readonly times = new Map<number, CpuTimes>();

  constructor(private readonly logger: Logger) {}

  update(fresh: ReadonlyMap<number, CpuTimes>): ReadonlyMap<number, CpuTimes> {
    for (const [cpu, now] of fresh) {
      let kept = this.times.get(cpu) ?? zeroCpuTimes();
      if (kept.idle - now.idle >= JUMP_BACK_SECONDS) {
        this.logger.debug('CPU idle counter jumped back, resetting its counters (hotplug?)', { cpu, old_value: kept.idle, new_value: now.idle });
        kept = zeroCpuTimes();
      }
      const next = { ...kept };
      for (const field of CPU_TIME_FIELDS) {
        if (now[field] >= kept[field]) next[field] = now[field];
        else this.logger.debug('CPU counter went backwards, keeping the old value', { cpu, field, old_value: kept[field], new_value: now[field] });
      }
      this.times.set(cpu, next);
    }
    // A CPU that went offline has no line any more: forget it.
    for (const cpu of [...this.times.keys()]) if (!fresh.has(cpu)) this.times.delete(cpu);
    return this.times;
  }
}

const MODES = [
  ['user', 'user'], ['nice', 'nice'], ['system', 'system'], ['idle', 'idle'],
  ['iowait', 'iowait'], ['irq', 'irq'], ['softirq', 'softirq'], ['steal', 'steal'],
] as const satisfies readonly (readonly [string, keyof CpuTimes])[];

function timeFamilies(times: ReadonlyMap<number, CpuTimes>, guest: boolean): MetricFamily[] {
  const seconds: Sample[] = [];
  const guestSeconds: Sample[] = [];
  for (const [id, t] of times) {
    const cpu = String(id);
    for (const [mode, field] of MODES) seconds.push({ labels: { cpu, mode }, value: t[field] });
    // Guest time is already inside user and nice; it is shown apart, not added.
    guestSeconds.push({ labels: { cpu, mode: 'user' }, value: t.guest }, { labels: { cpu, mode: 'nice' }, value: t.guestNice });
  }
  const out = [family('node_cpu_seconds_total', 'Seconds each CPU spent in each mode, from /proc/stat.', 'counter', seconds)];
  if (guest) out.push(family('node_cpu_guest_seconds_total', 'Seconds each CPU spent running guests (VMs), also counted in user and nice.', 'counter', guestSeconds));
  return out;
}

/** .../cpu/isolated (isolcpus=): none when the kernel has no such file. */
async function isolatedFamily(paths: Paths): Promise<MetricFamily> {
  const cpus = await readAndParse(paths.sysFilePath(`${CPU_SYSFS_DIR}/isolated`), parseCpuList).catch(ifMissing([] as number[]));
  return family('node_cpu_isolated', 'CPUs isolated from the general scheduler (isolcpus), from /sys/devices/system/cpu/isolated.', 'gauge',
    cpus.map((cpu) => ({ labels: { cpu: String(cpu) }, value: 1 })));
}

/**
 * Thermal throttle events (x86 only), once per core and once per package: every thread of a
 * core shows the core's count, every CPU of a package the package's. The first CPU (in glob
 * order) whose file reads speaks for the core or package. A CPU whose topology or counter
 * cannot be read is skipped, as upstream skips it.
 */
async function throttleFamilies(paths: Paths, cpus: readonly SysfsCpu[], logger: Logger): Promise<MetricFamily[]> {
  const read = (cpu: SysfsCpu, file: string) =>
    readAndParse(paths.sysFilePath(`${CPU_SYSFS_DIR}/${cpu.name}/${file}`), parseUintValue).catch((err: unknown) => {
      logger.debug('CPU sysfs file unreadable, skipped', { cpu: cpu.name, file, err });
      return undefined;
    });
  const perCpu = await Promise.all(cpus.map(async (cpu) => {
    const [pkg, core, coreCount, pkgCount] = await Promise.all([
      read(cpu, 'topology/physical_package_id'), read(cpu, 'topology/core_id'),
      read(cpu, 'thermal_throttle/core_throttle_count'), read(cpu, 'thermal_throttle/package_throttle_count'),
    ]);
    return { pkg, core, coreCount, pkgCount };
  }));
  const packages = new Map<string, number>();
  const cores = new Map<string, { pkg: string; core: string; count: number }>();
  for (const { pkg, core, coreCount, pkgCount } of perCpu) {
    if (pkg === undefined || core === undefined) continue;
    const key = `${pkg}/${core}`;
    if (coreCount !== undefined && !cores.has(key)) cores.set(key, { pkg: String(pkg), core: String(core), count: coreCount });
    if (pkgCount !== undefined && !packages.has(String(pkg))) packages.set(String(pkg), pkgCount);
  }
  return [
    family('node_cpu_core_throttles_total', 'Times a CPU core was throttled for heat, from sysfs thermal_throttle.', 'counter',
      [...cores.values()].map((c) => ({ labels: { package: c.pkg, core: c.core }, value: c.count }))),
    family('node_cpu_package_throttles_total', 'Times a CPU package was throttled for heat, from sysfs thermal_throttle.', 'counter',
      [...packages].map(([pkg, count]) => ({ labels: { package: pkg }, value: count }))),
  ];
}

/**
 * cpuN/online. CPUs that cannot be unplugged (usually cpu0) have no such file; when the first
 * CPU lacks it the kernel is taken not to support hotplug and nothing is reported. Otherwise
 * each CPU is 1 or 0, a missing or unreadable file being 0.
 */
async function onlineFamily(paths: Paths, cpus: readonly SysfsCpu[]): Promise<MetricFamily[]> {
  const file = (cpu: SysfsCpu) => paths.sysFilePath(`${CPU_SYSFS_DIR}/${cpu.name}/online`);
  const first = cpus[0];
  if (first === undefined) return [];
  const missing = await readAndParse(file(first), parseCpuOnline).then(() => false, (err: unknown) => hasErrno(err, 'ENOENT'));
  if (missing) return [];
  const online = await Promise.all(cpus.map((cpu) => readAndParse(file(cpu), parseCpuOnline).catch(() => false)));
  return [family('node_cpu_online', 'Whether each CPU is online (1) or offline (0), from sysfs cpuN/online.', 'gauge',
    cpus.map((cpu, i) => ({ labels: { cpu: String(cpu.number) }, value: online[i] === true ? 1 : 0 })))];
}

const F = 'collector.cpu';

export const cpu: CollectorDefinition = {
  name: 'cpu',
  defaultEnabled: true,
  options: [
    { flag: `${F}.guest`, help: 'Export node_cpu_guest_seconds_total (default: true).', boolean: true, defaultValue: 'true' },
    { flag: `${F}.info`, help: 'Export node_cpu_info from /proc/cpuinfo (default: false).', boolean: true, defaultValue: 'false' },
    { flag: `${F}.info.flags-include`, help: 'Regexp of /proc/cpuinfo flags to export as node_cpu_flag_info; implies --collector.cpu.info.' },
    { flag: `${F}.info.bugs-include`, help: 'Regexp of /proc/cpuinfo bugs to export as node_cpu_bug_info; implies --collector.cpu.info.' },
  ],
  create({ paths, logger, options, enabledCollectors }) {
    const regexp = (flag: string) => {
      const v = options.get(flag);
      return typeof v === 'string' && v !== '' ? compileRegexp(v, flag) : undefined;
    };
    const flagsInclude = regexp(`${F}.info.flags-include`);
    const bugsInclude = regexp(`${F}.info.bugs-include`);
    let info = booleanOption(options, `${F}.info`, false);
    if (!info && (flagsInclude !== undefined || bugsInclude !== undefined)) {
      info = true;
      logger.info('--collector.cpu.info is on because --collector.cpu.info.flags-include or --collector.cpu.info.bugs-include is set');
    }
    const guest = booleanOption(options, `${F}.guest`, true);
    const infoSettings = { flagsInclude, bugsInclude, frequency: enabledCollectors?.has('cpufreq') ?? false, arch: process.arch };
    const cache = new CpuTimesCache(logger);
    return {
      async collect(): Promise<MetricFamily[]> {
        const [infoFams, stat, sysCpus] = await Promise.all([
          info ? cpuInfoFamilies(paths.procFilePath('cpuinfo'), infoSettings) : [],
          readAndParse(paths.procFilePath('stat'), parseStat),
          listSysfsCpus(paths),
        ]);
        // Emit from the cache right after this scrape's read, before anything else can await.
        const times = timeFamilies(cache.update(stat.cpus), guest);
        const [isolated, throttles, online] = await Promise.all([
          isolatedFamily(paths),
          throttleFamilies(paths, sysCpus, logger),
          onlineFamily(paths, sysCpus),
        ]);
        return [...infoFams, ...times, isolated, ...throttles, ...online];
      },
    };
  },
};
