import { isUintText, ParseError, parseUint } from './parse-error.js';

/**
 * /proc/stat counts CPU time in USER_HZ ticks, which the kernel ABI fixes at 100 on every
 * architecture (whatever CONFIG_HZ is), so ticks / 100 is seconds.
 */
export const USER_HZ = 100;

/** Time one CPU (or all of them) spent in each state, in seconds. */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
  guest: number;
  guestNice: number;
}

export const CPU_TIME_FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal', 'guest', 'guestNice'] as const;

/** The softirq vectors of the "softirq" line, in the kernel's order, named as node_exporter labels them. */
export const SOFTIRQ_VECTORS = ['hi', 'timer', 'net_tx', 'net_rx', 'block', 'block_iopoll', 'tasklet', 'sched', 'hrtimer', 'rcu'] as const;
export type SoftirqVector = (typeof SOFTIRQ_VECTORS)[number];

export interface ProcStat {
  /** Seconds since the epoch. */
  bootTime: number;
  /** The "cpu" line: all CPUs summed. */
  cpuTotal: CpuTimes;
  /** The "cpuN" lines, by N. Offline CPUs have no line. */
  cpus: Map<number, CpuTimes>;
  intrTotal: number;
  contextSwitches: number;
  /** "processes": forks since boot. */
  forks: number;
  procsRunning: number;
  procsBlocked: number;
  softirqTotal: number;
  softirqs: Record<SoftirqVector, number>;
}

export function zeroCpuTimes(): CpuTimes {
  return { user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0, guest: 0, guestNice: 0 };
}

/**
 * "cpuN t1 t2 ...": older kernels print fewer than ten columns (steal since 2.6.11, guest since
 * 2.6.24, guest_nice since 2.6.33); the missing ones count as 0. Columns after the tenth are
 * ignored, so a future column does not break us.
 */
function parseCpuLine(fields: string[], line: string, lineNumber: number): { id: number | undefined; times: CpuTimes } {
  const [name = ''] = fields;
  let id: number | undefined;
  if (name !== 'cpu') {
    const m = /^cpu(\d+)$/.exec(name);
    if (m === null) throw new ParseError(`invalid cpu name ${JSON.stringify(name)}`, line, lineNumber);
    id = Number(m[1]);
  }
  const times = zeroCpuTimes();
  for (let i = 0; i < CPU_TIME_FIELDS.length; i++) {
    const text = fields[i + 1];
    if (text === undefined) continue;
    const key = CPU_TIME_FIELDS[i] as (typeof CPU_TIME_FIELDS)[number];
    // The message is only built for a bad value.
    times[key] = (isUintText(text) ? Number(text) : parseUint(text, `${name} ${key} ticks`, line, lineNumber)) / USER_HZ;
  }
  return { id, times };
}

/** An "intr" line whose counts are all unsigned integers; anything else takes the checking path. */
const INTR_LINE = /^intr[ \t]+(\d+)(?:[ \t]+\d+)*[ \t]*$/;

/**
 * A "cpu" or "cpuN" line as the kernel prints it ("cpu3 4705 356 584 3699 23 23 0 0 0 0": the
 * name at the start of the line, then plain numbers of up to 15 digits separated by spaces) read
 * in place into `stat`: no field strings or arrays. False for any other line, which then takes
 * the general path (the one that makes every error); the values are the same either way.
 */
function readCpuLineInPlace(line: string, stat: ProcStat): boolean {
  const n = line.length;
  let i = 3;
  let id = -1;
  if (i < n && isDigit(line.charCodeAt(i))) {
    id = 0;
    const from = i;
    while (i < n && isDigit(line.charCodeAt(i))) id = id * 10 + (line.charCodeAt(i++) - 0x30);
    if (i - from > 15) return false;
  }
  const times = zeroCpuTimes();
  let columns = 0;
  while (i < n) {
    if (line.charCodeAt(i) !== 0x20) return false;
    while (i < n && line.charCodeAt(i) === 0x20) i++;
    if (i === n) break;
    const from = i;
    let v = 0;
    while (i < n && isDigit(line.charCodeAt(i))) v = v * 10 + (line.charCodeAt(i++) - 0x30);
    if (i === from || i - from > 15) return false;
    if (columns < CPU_TIME_FIELDS.length) times[CPU_TIME_FIELDS[columns] as (typeof CPU_TIME_FIELDS)[number]] = v / USER_HZ;
    columns++;
  }
  if (columns === 0) return false;
  if (id < 0) stat.cpuTotal = times;
  else stat.cpus.set(id, times);
  return true;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Parses /proc/stat. Keys the kernel may add later are ignored; a key we know with a bad value
 * throws. `inPlace` false sends the cpu lines through the general path too (the reference the
 * tests hold the in-place reading to).
 */
export function parseStat(text: string, inPlace = true): ProcStat {
  const stat: ProcStat = {
    bootTime: 0,
    cpuTotal: zeroCpuTimes(),
    cpus: new Map(),
    intrTotal: 0,
    contextSwitches: 0,
    forks: 0,
    procsRunning: 0,
    procsBlocked: 0,
    softirqTotal: 0,
    softirqs: Object.fromEntries(SOFTIRQ_VECTORS.map((v) => [v, 0])) as Record<SoftirqVector, number>,
  };
  let keys = 0;
  text.split('\n').forEach((line, i) => {
    const lineNumber = i + 1;
    // One line per CPU (hundreds on a large host): read in place when they look as the kernel prints them.
    if (inPlace && line.startsWith('cpu') && readCpuLineInPlace(line, stat)) {
      keys++;
      return;
    }
    // "intr" carries a count per IRQ (hundreds on a large host) that only needs to be well formed:
    // checked in one pass instead of split into a string each.
    const intr = INTR_LINE.exec(line);
    if (intr !== null) {
      stat.intrTotal = parseUint(intr[1], 'intr total', line, lineNumber);
      keys++;
      return;
    }
    const fields = line.split(/\s+/).filter((f) => f !== '');
    const [key, first] = fields;
    // Every line is "<key> <value>...": a lone word carries nothing.
    if (key === undefined || first === undefined) return;
    keys++;
    const uint = (what: string) => parseUint(first, what, line, lineNumber);
    switch (key) {
      case 'btime':
        stat.bootTime = uint('btime');
        break;
      case 'intr':
        stat.intrTotal = uint('intr total');
        // The per-IRQ counts are not exported, but a bad one means the line is not what we think.
        for (let j = 2; j < fields.length; j++) parseUint(fields[j], `intr count ${j - 2}`, line, lineNumber);
        break;
      case 'ctxt':
        stat.contextSwitches = uint('ctxt');
        break;
      case 'processes':
        stat.forks = uint('processes');
        break;
      case 'procs_running':
        stat.procsRunning = uint('procs_running');
        break;
      case 'procs_blocked':
        stat.procsBlocked = uint('procs_blocked');
        break;
      case 'softirq': {
        if (fields.length < 2 + SOFTIRQ_VECTORS.length) {
          throw new ParseError(`softirq line has ${fields.length - 2} vectors, want ${SOFTIRQ_VECTORS.length}`, line, lineNumber);
        }
        stat.softirqTotal = uint('softirq total');
        SOFTIRQ_VECTORS.forEach((v, j) => {
          stat.softirqs[v] = parseUint(fields[j + 2], `softirq ${v}`, line, lineNumber);
        });
        break;
      }
      default:
        if (key.startsWith('cpu')) {
          const { id, times } = parseCpuLine(fields, line, lineNumber);
          if (id === undefined) stat.cpuTotal = times;
          else stat.cpus.set(id, times);
        }
    }
  });
  if (keys === 0) throw new ParseError('stat has no entries');
  return stat;
}
