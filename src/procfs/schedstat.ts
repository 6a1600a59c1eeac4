import { ParseError } from './parse-error.js';

/** The per-CPU scheduler counters node_exporter exports from a "cpuN" line of /proc/schedstat. */
export interface SchedstatCpu {
  /** N of "cpuN", as printed. */
  cpu: string;
  /** Time spent running tasks (field 7; nanoseconds since CFS, whatever older docs say). */
  runningNanoseconds: number;
  /** Time tasks spent waiting to run on this CPU (field 8, nanoseconds). */
  waitingNanoseconds: number;
  /** Timeslices run on this CPU (field 9). */
  timeslices: number;
}

export interface Schedstat {
  /** The "version N" line; undefined when absent. */
  version: number | undefined;
  cpus: SchedstatCpu[];
  /** 1-based numbers of "cpuN" lines that were too short or not numeric: skipped, as upstream skips them. */
  skippedLines: number[];
}

const CPU_FIELDS = 9;

/**
 * /proc/schedstat: a "version" and "timestamp" line, then per CPU a "cpuN" line of nine
 * counters followed by its "domainN" lines, which we do not read. Fields past the ninth are
 * kernels' additions and ignored. A cpu line we cannot read is skipped rather than failing the
 * whole file, as node_exporter does; anything that is not schedstat at all throws.
 */
export function parseSchedstat(text: string): Schedstat {
  const out: Schedstat = { version: undefined, cpus: [], skippedLines: [] };
  let recognised = 0;
  text.split('\n').forEach((line, i) => {
    const lineNumber = i + 1;
    const fields = line.split(' ').filter((f) => f !== '');
    const [key, ...values] = fields;
    if (key === undefined) return;
    if (key === 'version') {
      recognised++;
      const v = values[0];
      if (v === undefined || !/^\d+$/.test(v)) throw new ParseError('invalid schedstat version', line, lineNumber);
      out.version = Number(v);
      return;
    }
    if (key === 'timestamp' || /^domain\d+$/.test(key)) {
      recognised++;
      return;
    }
    const m = /^cpu(\d+)$/.exec(key);
    if (m === null) return;
    recognised++;
    const counters = values.slice(0, CPU_FIELDS);
    if (counters.length < CPU_FIELDS || !counters.every((f) => /^\d+$/.test(f))) {
      out.skippedLines.push(lineNumber);
      return;
    }
    const [running = '', waiting = '', slices = ''] = counters.slice(6);
    out.cpus.push({ cpu: m[1] ?? '', runningNanoseconds: Number(running), waitingNanoseconds: Number(waiting), timeslices: Number(slices) });
  });
  if (recognised === 0) throw new ParseError('schedstat has no version, cpu or domain lines');
  return out;
}
