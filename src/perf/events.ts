/**
 * The counters the perf collector can open, by the profiler names upstream's flags take, and
 * the metric each one feeds (node_perf_<metric>{cpu}). Pure tables and flag selection.
 */
import { ParseError } from '../procfs/parse-error.js';
import { cacheConfig, PERF_TYPE_HARDWARE, PERF_TYPE_HW_CACHE, PERF_TYPE_SOFTWARE } from './attr.js';

export interface PerfEvent {
  /** The name --collector.perf.*-profilers takes. */
  profiler: string;
  /** Metric name without the node_perf_ prefix. */
  metric: string;
  help: string;
  type: number;
  config: number;
}

const hw = (profiler: string, config: number, metric: string, help: string): PerfEvent => ({ profiler, metric, help, type: PERF_TYPE_HARDWARE, config });
const sw = (profiler: string, config: number, metric: string, help: string): PerfEvent => ({ profiler, metric, help, type: PERF_TYPE_SOFTWARE, config });

// Cache ids, operations and results of PERF_TYPE_HW_CACHE (linux/perf_event.h).
const L1D = 0,
  L1I = 1,
  LL = 2,
  DTLB = 3,
  ITLB = 4,
  BPU = 5;
const READ = 0,
  WRITE = 1;
const ACCESS = 0,
  MISS = 1;
const cache = (profiler: string, id: number, op: number, result: number, metric: string, help: string): PerfEvent => ({
  profiler,
  metric,
  help,
  type: PERF_TYPE_HW_CACHE,
  config: cacheConfig(id, op, result),
});

/** PERF_COUNT_HW_*; bus cycles are left out: upstream opens them but never reports them. */
export const HARDWARE_EVENTS: readonly PerfEvent[] = [
  hw('CpuCycles', 0, 'cpucycles_total', 'CPU cycles counted by the PMU (frequency scaled).'),
  hw('CpuInstr', 1, 'instructions_total', 'Instructions retired.'),
  hw('CacheRef', 2, 'cache_refs_total', 'Cache references (not frequency scaled).'),
  hw('CacheMisses', 3, 'cache_misses_total', 'Cache misses.'),
  hw('BranchInstr', 4, 'branch_instructions_total', 'Branch instructions retired.'),
  hw('BranchMisses', 5, 'branch_misses_total', 'Mispredicted branches.'),
  hw('StalledCyclesFrontend', 7, 'stalled_cycles_frontend_total', 'Cycles stalled in the front end.'),
  hw('StalledCyclesBackend', 8, 'stalled_cycles_backend_total', 'Cycles stalled in the back end.'),
  hw('RefCpuCycles', 9, 'ref_cpucycles_total', 'Reference CPU cycles (not affected by frequency scaling).'),
];

/** PERF_COUNT_SW_*; the clocks and alignment/emulation faults have no metric upstream. */
export const SOFTWARE_EVENTS: readonly PerfEvent[] = [
  sw('PageFault', 2, 'page_faults_total', 'Page faults.'),
  sw('ContextSwitch', 3, 'context_switches_total', 'Context switches.'),
  sw('CpuMigration', 4, 'cpu_migrations_total', 'Tasks migrated to another CPU.'),
  sw('MinorFault', 5, 'minor_faults_total', 'Minor page faults (no I/O needed).'),
  sw('MajorFault', 6, 'major_faults_total', 'Major page faults (I/O needed).'),
];

export const CACHE_EVENTS: readonly PerfEvent[] = [
  cache('L1DataReadHit', L1D, READ, ACCESS, 'cache_l1d_read_hits_total', 'L1 data cache read accesses.'),
  cache('L1DataReadMiss', L1D, READ, MISS, 'cache_l1d_read_misses_total', 'L1 data cache read misses.'),
  cache('L1DataWriteHit', L1D, WRITE, ACCESS, 'cache_l1d_write_hits_total', 'L1 data cache write accesses.'),
  cache('L1InstrReadMiss', L1I, READ, MISS, 'cache_l1_instr_read_misses_total', 'L1 instruction cache read misses.'),
  cache('InstrTLBReadHit', ITLB, READ, ACCESS, 'cache_tlb_instr_read_hits_total', 'Instruction TLB read accesses.'),
  cache('InstrTLBReadMiss', ITLB, READ, MISS, 'cache_tlb_instr_read_misses_total', 'Instruction TLB read misses.'),
  cache('DataTLBReadHit', DTLB, READ, ACCESS, 'cache_tlb_data_read_hits_total', 'Data TLB read accesses.'),
  cache('DataTLBReadMiss', DTLB, READ, MISS, 'cache_tlb_data_read_misses_total', 'Data TLB read misses.'),
  cache('DataTLBWriteHit', DTLB, WRITE, ACCESS, 'cache_tlb_data_write_hits_total', 'Data TLB write accesses.'),
  cache('DataTLBWriteMiss', DTLB, WRITE, MISS, 'cache_tlb_data_write_misses_total', 'Data TLB write misses.'),
  cache('LLReadHit', LL, READ, ACCESS, 'cache_ll_read_hits_total', 'Last level cache read accesses.'),
  cache('LLReadMiss', LL, READ, MISS, 'cache_ll_read_misses_total', 'Last level cache read misses.'),
  cache('LLWriteHit', LL, WRITE, ACCESS, 'cache_ll_write_hits_total', 'Last level cache write accesses.'),
  cache('LLWriteMiss', LL, WRITE, MISS, 'cache_ll_write_misses_total', 'Last level cache write misses.'),
  cache('BPUReadHit', BPU, READ, ACCESS, 'cache_bpu_read_hits_total', 'Branch prediction unit read accesses.'),
  cache('BPUReadMiss', BPU, READ, MISS, 'cache_bpu_read_misses_total', 'Branch prediction unit read misses.'),
];

export interface Selection {
  events: PerfEvent[];
  /** Names given that are no profiler of this group (upstream logs each and goes on). */
  unknown: string[];
}

/** The events a *-profilers flag selects: all of the group when the flag is not given. */
export function selectEvents(all: readonly PerfEvent[], names: readonly string[]): Selection {
  if (names.length === 0) return { events: [...all], unknown: [] };
  const wanted = new Set(names);
  const events = all.filter((e) => wanted.has(e.profiler));
  const known = new Set(all.map((e) => e.profiler));
  return { events, unknown: names.filter((n) => !known.has(n)) };
}

export interface Tracepoint {
  subsystem: string;
  event: string;
}

/** --collector.perf.tracepoint values: "subsystem:event", exactly one colon. */
export function parseTracepoint(text: string): Tracepoint {
  const parts = text.split(':');
  if (parts.length !== 2) throw new ParseError(`invalid tracepoint ${JSON.stringify(text)}: want subsystem:event`);
  const [subsystem = '', event = ''] = parts;
  if (!/^[A-Za-z0-9_]+$/.test(subsystem) || !/^[A-Za-z0-9_]+$/.test(event)) {
    throw new ParseError(`invalid tracepoint ${JSON.stringify(text)}: names are letters, digits and _`);
  }
  return { subsystem, event };
}

/** The first tracefs mount point in a /proc/mounts text, as upstream's perf library looks it up. */
export function tracefsMount(mounts: string): string | undefined {
  for (const line of mounts.split('\n')) {
    const f = line.split(' ');
    if (f.length > 3 && f[2] === 'tracefs') return f[1];
  }
  return undefined;
}

/** A tracepoint's events/<subsystem>/<event>/id file: one decimal id (the perf config). */
export function parseTracepointId(text: string): number {
  const t = text.trim();
  if (!/^\d+$/.test(t)) throw new ParseError(`not a tracepoint id: ${JSON.stringify(t)}`);
  return Number(t);
}
