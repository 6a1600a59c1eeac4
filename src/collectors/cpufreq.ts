import { stat } from '../read/dir.js';
import { NoDataError, newDesc, type CollectorDefinition, type Desc } from '../collector.js';
import type { Paths } from '../paths.js';
import { readAndParse } from '../read/files.js';
import { parseUintValue } from '../procfs/value-file.js';
import { CPU_SYSFS_DIR, listSysfsCpus, type SysfsCpu } from '../read/cpu.js';
import { parseCpuList } from '../sysfs/cpu.js';
import { hasErrno } from '../errno.js';

const gaugePerCpu = (name: string, help: string) => newDesc(name, help, 'gauge', ['cpu']);

/** The kHz attributes of cpuN/cpufreq node_exporter exports, each in hertz. */
const FREQUENCIES: readonly [attr: string, desc: Desc][] = [
  ['cpuinfo_cur_freq', gaugePerCpu('node_cpu_frequency_hertz', 'Current CPU frequency in hertz as the hardware reports it (cpuinfo_cur_freq).')],
  ['cpuinfo_avg_freq', gaugePerCpu('node_cpu_frequency_avg_hertz', 'Average CPU frequency in hertz over a recent interval (cpuinfo_avg_freq).')],
  ['cpuinfo_min_freq', gaugePerCpu('node_cpu_frequency_min_hertz', 'Lowest frequency the CPU can run at, in hertz (cpuinfo_min_freq).')],
  ['cpuinfo_max_freq', gaugePerCpu('node_cpu_frequency_max_hertz', 'Highest frequency the CPU can run at, in hertz (cpuinfo_max_freq).')],
  ['scaling_cur_freq', gaugePerCpu('node_cpu_scaling_frequency_hertz', 'Current CPU frequency in hertz as cpufreq sees it (scaling_cur_freq).')],
  ['scaling_min_freq', gaugePerCpu('node_cpu_scaling_frequency_min_hertz', 'Lowest frequency the cpufreq policy allows, in hertz (scaling_min_freq).')],
  ['scaling_max_freq', gaugePerCpu('node_cpu_scaling_frequency_max_hertz', 'Highest frequency the cpufreq policy allows, in hertz (scaling_max_freq).')],
];
const governorDesc = newDesc('node_cpu_scaling_governor', 'cpufreq governors available to each CPU: 1 for the one in use, 0 for the others.', 'gauge', ['cpu', 'governor']);

interface CpuFreq {
  cpu: string;
  /** kHz by attribute name; absent when the kernel has no such file or we may not read it (cpuinfo_cur_freq is root-only). */
  khz: Map<string, number>;
  governor: string;
  availableGovernors: string[];
}

async function readCpuFreq(paths: Paths, cpu: SysfsCpu): Promise<CpuFreq | undefined> {
  const dir = paths.sysFilePath(`${CPU_SYSFS_DIR}/${cpu.name}/cpufreq`);
  try {
    await stat(dir);
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
  const khz = new Map<string, number>();
  const [values, governors, governor] = await Promise.all([
    Promise.all(
      FREQUENCIES.map(([attr]) =>
        readAndParse(`${dir}/${attr}`, parseUintValue).catch((err: unknown) => {
          if (hasErrno(err, 'ENOENT', 'EACCES', 'EPERM')) return undefined;
          throw err;
        }),
      ),
    ),
    readAndParse(`${dir}/scaling_available_governors`, (t) => t.trim()),
    readAndParse(`${dir}/scaling_governor`, (t) => t.trim()),
  ]);
  FREQUENCIES.forEach(([attr], i) => {
    const v = values[i];
    if (v !== undefined) khz.set(attr, v);
  });
  // Split on single spaces as upstream does, so its label values come out the same.
  return { cpu: String(cpu.number), khz, governor, availableGovernors: governors.split(' ') };
}

export const cpufreq: CollectorDefinition = {
  name: 'cpufreq',
  defaultEnabled: true,
  create({ paths }) {
    return {
      async collect(_ctx, out) {
        // Upstream needs .../cpu/offline (every kernel since 2.6.x has it): without it, it fails.
        const [cpus, offlineList] = await Promise.all([listSysfsCpus(paths), readAndParse(paths.sysFilePath(`${CPU_SYSFS_DIR}/offline`), parseCpuList)]);
        const offline = new Set(offlineList);
        const online = cpus.filter((c) => !offline.has(c.number));
        if (online.length === 0) throw new NoDataError('no online CPUs under /sys/devices/system/cpu');
        // In parallel: the kernel may take a while to answer each CPU's current frequency.
        const freqs = (await Promise.all(online.map((c) => readCpuFreq(paths, c)))).filter((f) => f !== undefined);
        for (const f of freqs) {
          for (const [attr, desc] of FREQUENCIES) {
            const khz = f.khz.get(attr);
            if (khz !== undefined) out.add(desc, khz * 1000, f.cpu);
          }
          if (f.governor === '') continue;
          for (const g of f.availableGovernors) out.add(governorDesc, g === f.governor ? 1 : 0, f.cpu, g);
        }
      },
    };
  },
};
