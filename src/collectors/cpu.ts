import { booleanOption, newDesc, type CollectorDefinition, type Sink } from '../collector.js';
import { compileRegexp } from '../config.js';
import type { Logger } from '../logger.js';
import type { Paths } from '../paths.js';
import type { CpuinfoEntry } from '../procfs/cpuinfo.js';
import { ifMissing, parseFileText, readAndParse, readProcFiles } from '../read/files.js';
import { CPU_TIME_FIELDS, parseStat, zeroCpuTimes, type CpuTimes } from '../procfs/stat.js';
import { parseUintValue } from '../procfs/value-file.js';
import { CPU_SYSFS_DIR, listSysfsCpus, readCpuinfo, type SysfsCpu } from '../read/cpu.js';
import { parseCpuList, parseCpuOnline } from '../sysfs/cpu.js';
import { hasErrno } from '../errno.js';

const secondsDesc = newDesc('node_cpu_seconds_total', 'Seconds each CPU spent in each mode, from /proc/stat.', 'counter', ['cpu', 'mode']);
const guestDesc = newDesc('node_cpu_guest_seconds_total', 'Seconds each CPU spent running guests (VMs), also counted in user and nice.', 'counter', ['cpu', 'mode']);
const isolatedDesc = newDesc('node_cpu_isolated', 'CPUs isolated from the general scheduler (isolcpus), from /sys/devices/system/cpu/isolated.', 'gauge', ['cpu']);
const coreThrottlesDesc = newDesc('node_cpu_core_throttles_total', 'Times a CPU core was throttled for heat, from sysfs thermal_throttle.', 'counter', ['package', 'core']);
const packageThrottlesDesc = newDesc('node_cpu_package_throttles_total', 'Times a CPU package was throttled for heat, from sysfs thermal_throttle.', 'counter', ['package']);
const onlineDesc = newDesc('node_cpu_online', 'Whether each CPU is online (1) or offline (0), from sysfs cpuN/online.', 'gauge', ['cpu']);
const infoDesc = newDesc('node_cpu_info', 'One series per logical CPU, labelled with what /proc/cpuinfo says about it.', 'gauge', [
  'package',
  'core',
  'cpu',
  'vendor',
  'family',
  'model',
  'model_name',
  'microcode',
  'stepping',
  'cachesize',
]);
const frequencyDesc = newDesc('node_cpu_frequency_hertz', 'CPU clock in hertz, from the "cpu MHz" line of /proc/cpuinfo.', 'gauge', ['package', 'core', 'cpu']);
const flagDesc = newDesc('node_cpu_flag_info', 'CPU feature flags of the first CPU in /proc/cpuinfo, as selected by --collector.cpu.info.flags-include.', 'gauge', ['flag']);
const bugDesc = newDesc('node_cpu_bug_info', 'CPU bugs of the first CPU in /proc/cpuinfo, as selected by --collector.cpu.info.bugs-include.', 'gauge', ['bug']);

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
  ['user', 'user'],
  ['nice', 'nice'],
  ['system', 'system'],
  ['idle', 'idle'],
  ['iowait', 'iowait'],
  ['irq', 'irq'],
  ['softirq', 'softirq'],
  ['steal', 'steal'],
] as const satisfies readonly (readonly [string, keyof CpuTimes])[];

/** CPU numbers as label values, made once each (a host has a fixed, small set of them). */
const cpuNames: string[] = [];

function cpuName(id: number): string {
  if (!Number.isInteger(id) || id < 0 || id >= 65536) return String(id);
  let name = cpuNames[id];
  if (name === undefined) {
    name = String(id);
    cpuNames[id] = name;
  }
  return name;
}

function addTimes(out: Sink, times: ReadonlyMap<number, CpuTimes>, guest: boolean): void {
  // forEach and an index loop: no entry array per CPU or mode where V8 leaves a for-of
  // unoptimised (Node 24).
  times.forEach((t, id) => {
    const cpu = cpuName(id);
    for (let k = 0; k < MODES.length; k++) {
      const [mode, field] = MODES[k] as (typeof MODES)[number];
      out.add(secondsDesc, t[field], cpu, mode);
    }
    if (!guest) return;
    // Guest time is already inside user and nice; it is shown apart, not added.
    out.add(guestDesc, t.guest, cpu, 'user');
    out.add(guestDesc, t.guestNice, cpu, 'nice');
  });
}

export interface CpuInfoSettings {
  /** node_cpu_flag_info for the first CPU's flags matching this; none when undefined. */
  flagsInclude: RegExp | undefined;
  /** node_cpu_bug_info likewise, for its bugs. */
  bugsInclude: RegExp | undefined;
  /** node_cpu_frequency_hertz from "cpu MHz": upstream emits it only while cpufreq is enabled. */
  frequency: boolean;
}

/** The --collector.cpu.info series, from /proc/cpuinfo. */
export function addCpuInfo(out: Sink, cpus: readonly CpuinfoEntry[], settings: CpuInfoSettings): void {
  for (const c of cpus) {
    const cpu = String(c.processor);
    out.addv(infoDesc, 1, [c.physicalId, c.coreId, cpu, c.vendorId, c.cpuFamily, c.model, c.modelName, c.microcode, c.stepping, c.cacheSize]);
    if (settings.frequency) out.add(frequencyDesc, c.cpuMHz * 1e6, c.physicalId, c.coreId, cpu);
  }
  // Flags and bugs are the same on every CPU of a sane system: the first CPU speaks for all.
  const first = cpus[0];
  if (first === undefined) return;
  const { flagsInclude, bugsInclude } = settings;
  if (flagsInclude !== undefined) for (const flag of first.flags) if (flagsInclude.test(flag)) out.add(flagDesc, 1, flag);
  if (bugsInclude !== undefined) for (const bug of first.bugs) if (bugsInclude.test(bug)) out.add(bugDesc, 1, bug);
}

/** .../cpu/isolated (isolcpus=): none when the kernel has no such file. */
function readIsolated(paths: Paths): Promise<number[]> {
  return readAndParse(paths.sysFilePath(`${CPU_SYSFS_DIR}/isolated`), parseCpuList).catch(ifMissing([] as number[]));
}

interface Throttles {
  /** "package/core" → the core's count. */
  cores: Map<string, { pkg: string; core: string; count: number }>;
  /** package → its count. */
  packages: Map<string, number>;
}

/** The files of each cpuN directory this collector reads, in this order. */
const CPU_FILES = ['topology/physical_package_id', 'topology/core_id', 'thermal_throttle/core_throttle_count', 'thermal_throttle/package_throttle_count', 'online'] as const;
const ONLINE = CPU_FILES.length - 1;

/**
 * Every CPU's topology, thermal throttle counts and online state, in one batch of reads (five
 * files a CPU: a promise and a closure per file would grow with the CPUs of big hosts).
 *
 * Thermal throttle events (x86 only) count once per core and once per package: every thread of
 * a core shows the core's count, every CPU of a package the package's. The first CPU (in glob
 * order) whose file reads speaks for the core or package. A CPU whose topology or counter
 * cannot be read is skipped, as upstream skips it.
 *
 * cpuN/online: CPUs that cannot be unplugged (usually cpu0) have no such file; when the first
 * CPU lacks it the kernel is taken not to support hotplug and nothing is reported. Otherwise
 * each CPU is online or not, a missing or unreadable file being offline.
 */
async function readCpuFiles(sysfs: Paths, cpus: readonly SysfsCpu[], logger: Logger): Promise<{ throttles: Throttles; online: { cpu: string; online: boolean }[] }> {
  const paths: string[] = [];
  for (const cpu of cpus) for (const path of sysfs.sysFilePaths(`${CPU_SYSFS_DIR}/${cpu.name}`, CPU_FILES)) paths.push(path);
  const texts = await readProcFiles(paths);
  const value = (c: number, f: number, parse: (text: string) => number): number | undefined => {
    const n = c * CPU_FILES.length + f;
    const text = texts[n];
    try {
      if (typeof text !== 'string') throw text;
      return parseFileText(paths[n] as string, text, parse);
    } catch (err) {
      if (logger.debugEnabled) logger.debug('CPU sysfs file unreadable, skipped', { cpu: cpus[c]?.name, file: CPU_FILES[f], err });
      return undefined;
    }
  };
  const throttles: Throttles = { cores: new Map(), packages: new Map() };
  for (let c = 0; c < cpus.length; c++) {
    const pkg = value(c, 0, parseUintValue);
    const core = value(c, 1, parseUintValue);
    const coreCount = value(c, 2, parseUintValue);
    const pkgCount = value(c, 3, parseUintValue);
    if (pkg === undefined || core === undefined) continue;
    const key = `${pkg}/${core}`;
    if (coreCount !== undefined && !throttles.cores.has(key)) throttles.cores.set(key, { pkg: String(pkg), core: String(core), count: coreCount });
    if (pkgCount !== undefined && !throttles.packages.has(String(pkg))) throttles.packages.set(String(pkg), pkgCount);
  }
  const online: { cpu: string; online: boolean }[] = [];
  if (cpus.length > 0 && !hasErrno(texts[ONLINE], 'ENOENT')) {
    for (let c = 0; c < cpus.length; c++) {
      const n = c * CPU_FILES.length + ONLINE;
      const text = texts[n];
      let up = false;
      if (typeof text === 'string') {
        try {
          up = parseCpuOnline(text);
        } catch {
          up = false;
        }
      }
      online.push({ cpu: cpuName((cpus[c] as SysfsCpu).number), online: up });
    }
  }
  return { throttles, online };
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
    const infoSettings: CpuInfoSettings = { flagsInclude, bugsInclude, frequency: enabledCollectors?.has('cpufreq') ?? false };
    const cpuinfoFile = paths.procFilePath('cpuinfo');
    const statFile = paths.procFilePath('stat');
    const cache = new CpuTimesCache(logger);
    return {
      async collect(_ctx, out) {
        // Every read at once (the sysfs files as soon as the CPUs are listed): one trip to the
        // addon on the scrape's path rather than two in a row.
        const [cpuinfo, stat, isolated, { throttles, online }] = await Promise.all([
          info ? readCpuinfo(cpuinfoFile, process.arch) : undefined,
          readAndParse(statFile, parseStat),
          readIsolated(paths),
          listSysfsCpus(paths).then((cpus) => readCpuFiles(paths, cpus, logger)),
        ]);
        // Emit from the cache right after this scrape's read, before anything else can await.
        addTimes(out, cache.update(stat.cpus), guest);
        if (cpuinfo !== undefined) addCpuInfo(out, cpuinfo, infoSettings);
        for (const id of isolated) out.add(isolatedDesc, 1, String(id));
        for (const c of throttles.cores.values()) out.add(coreThrottlesDesc, c.count, c.pkg, c.core);
        for (const [pkg, count] of throttles.packages) out.add(packageThrottlesDesc, count, pkg);
        for (const c of online) out.add(onlineDesc, c.online ? 1 : 0, c.cpu);
      },
    };
  },
};
