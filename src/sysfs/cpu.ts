import { ParseError } from '../procfs/parse-error.js';

/** The CPU number of a /sys/devices/system/cpu entry ("cpu12" → 12), or undefined for cpufreq, cpuidle, .... */
export function cpuDirNumber(name: string): number | undefined {
  const m = /^cpu(\d+)$/.exec(name);
  return m === null ? undefined : Number(m[1]);
}

const MAX_CPU = 65535;

/**
 * A kernel CPU list as in .../cpu/isolated, offline, online: "0-3,8,10-11", or an empty line
 * for none. Ranges expand in place; order and repeats are kept as written.
 */
export function parseCpuList(text: string): number[] {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const out: number[] = [];
  for (const item of body.split(',')) {
    if (item === '') continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(item);
    if (m === null) throw new ParseError(`invalid CPU list item ${JSON.stringify(item)}`, body, 1);
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    // NR_CPUS tops out at 8192 today; a bigger number is garbage, not a range to expand.
    if (end > MAX_CPU) throw new ParseError(`CPU number out of range in ${JSON.stringify(item)}`, body, 1);
    for (let cpu = start; cpu <= end; cpu++) out.push(cpu);
  }
  return out;
}

/** .../cpuN/online: "1" when the CPU is online; anything else counts as offline, as upstream reads it. */
export function parseCpuOnline(text: string): boolean {
  return text.trim() === '1';
}
