import { family, type MetricFamily, type Sample } from '../collector.js';
import { cpuinfoFormatFor, parseCpuinfo, type CpuinfoEntry } from '../procfs/cpuinfo.js';
import { readAndParse } from '../procfs/read.js';

export interface CpuInfoSettings {
  /** node_cpu_flag_info for the first CPU's flags matching this; none when undefined. */
  flagsInclude: RegExp | undefined;
  /** node_cpu_bug_info likewise, for its bugs. */
  bugsInclude: RegExp | undefined;
  /** node_cpu_frequency_hertz from "cpu MHz": upstream emits it only while cpufreq is enabled. */
  frequency: boolean;
  /** process.arch, or a fixed one in tests: which cpuinfo layout to expect. */
  arch: string;
}

function matching(values: readonly string[], filter: RegExp | undefined, label: string): Sample[] {
  if (filter === undefined) return [];
  return values.filter((v) => filter.test(v)).map((v) => ({ labels: { [label]: v }, value: 1 }));
}

function infoLabels(cpu: CpuinfoEntry): Record<string, string> {
  return {
    package: cpu.physicalId,
    core: cpu.coreId,
    cpu: String(cpu.processor),
    vendor: cpu.vendorId,
    family: cpu.cpuFamily,
    model: cpu.model,
    model_name: cpu.modelName,
    microcode: cpu.microcode,
    stepping: cpu.stepping,
    cachesize: cpu.cacheSize,
  };
}

/** The --collector.cpu.info families, from /proc/cpuinfo. */
export async function cpuInfoFamilies(file: string, settings: CpuInfoSettings): Promise<MetricFamily[]> {
  const format = cpuinfoFormatFor(settings.arch);
  // node_exporter has parsers for ppc64, s390x, riscv64, mips and loong64 too; we do not yet.
  if (format === undefined) throw new Error(`${file}: the /proc/cpuinfo layout of ${settings.arch} is not supported`);
  const cpus = await readAndParse(file, (text) => parseCpuinfo(text, format));
  const out = [
    family('node_cpu_info', 'One series per logical CPU, labelled with what /proc/cpuinfo says about it.', 'gauge',
      cpus.map((cpu) => ({ labels: infoLabels(cpu), value: 1 }))),
  ];
  if (settings.frequency) {
    out.push(family('node_cpu_frequency_hertz', 'CPU clock in hertz, from the "cpu MHz" line of /proc/cpuinfo.', 'gauge',
      cpus.map((cpu) => ({ labels: { package: cpu.physicalId, core: cpu.coreId, cpu: String(cpu.processor) }, value: cpu.cpuMHz * 1e6 }))));
  }
  // Flags and bugs are the same on every CPU of a sane system: the first CPU speaks for all.
  const first = cpus[0];
  if (first !== undefined) {
    out.push(
      family('node_cpu_flag_info', 'CPU feature flags of the first CPU in /proc/cpuinfo, as selected by --collector.cpu.info.flags-include.', 'gauge',
        matching(first.flags, settings.flagsInclude, 'flag')),
      family('node_cpu_bug_info', 'CPU bugs of the first CPU in /proc/cpuinfo, as selected by --collector.cpu.info.bugs-include.', 'gauge',
        matching(first.bugs, settings.bugsInclude, 'bug')),
    );
  }
  return out;
}
