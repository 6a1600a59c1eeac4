import { readdir } from '../read/dir.js';
import { newDesc, type CollectorDefinition } from '../collector.js';
import type { Paths } from '../paths.js';
import { parsePidStat, type PidStat } from '../procfs/pid-stat.js';
import { readAndParse, readProcFiles } from '../read/files.js';
import { ParseError } from '../procfs/parse-error.js';
import { parseUintValue } from '../procfs/value-file.js';
import { hasErrno } from '../errno.js';

/**
 * Stat files read per trip to the addon's threads, and trips (or task-directory listings) in
 * flight at once: at most 4 threads busy and 128 reads pending, however many tasks the host runs.
 */
export const STATS_PER_TRIP = 32;
export const MAX_IN_FLIGHT = 4;

const threadCount = newDesc('node_processes_threads', 'Threads of all processes (sum of num_threads).', 'gauge');
const maxThreads = newDesc('node_processes_max_threads', 'System-wide thread limit (kernel.threads-max).', 'gauge');
const processState = newDesc('node_processes_state', 'Processes in each scheduler state.', 'gauge', ['state']);
const threadState = newDesc('node_processes_threads_state', 'Threads in each scheduler state.', 'gauge', ['thread_state']);
const processCount = newDesc('node_processes_pids', 'Processes found under /proc.', 'gauge');
const maxProcesses = newDesc('node_processes_max_processes', 'Largest PID the kernel will hand out (kernel.pid_max).', 'gauge');

/** A stat line is well under 1 KiB; a small cap keeps thousands of reads cheap. */
const STAT_READ_LIMIT = 16 * 1024;

/** A process or thread that exited between being listed and being read: skip it, as upstream. */
function vanished(err: unknown): boolean {
  return hasErrno(err, 'ENOENT', 'ESRCH');
}

/** Runs tasks with at most `max` at once; once aborted, queued tasks reject instead of running. */
export function limiter(max: number, signal: AbortSignal): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      signal.throwIfAborted();
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so `active` never exceeds max.
      const next = waiting.shift();
      if (next !== undefined) next();
      else active--;
    }
  };
}

export interface ProcessScan {
  pids: number;
  threads: number;
  states: Map<string, number>;
  threadStates: Map<string, number>;
}

const numeric = (names: string[]) => names.filter((n) => /^\d+$/.test(n));
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * Reads every /proc/<pid>/stat and every /proc/<pid>/task/<tid>/stat (the main thread's state is
 * the process's, as upstream counts it). Anything but "it vanished" fails the scan.
 */
export async function scanProcesses(paths: Paths, signal: AbortSignal, maxInFlight = MAX_IN_FLIGHT): Promise<ProcessScan> {
  const failed = new AbortController();
  const limit = limiter(maxInFlight, AbortSignal.any([signal, failed.signal]));

  /** Stat files by path relative to procfs; undefined for the ones that vanished. */
  const readStats = async (rels: string[]): Promise<(PidStat | undefined)[]> => {
    const parts = await Promise.all(
      chunks(rels, STATS_PER_TRIP).map((batch) =>
        limit(async () => {
          const files = batch.map((rel) => paths.procFilePath(rel));
          const texts = await readProcFiles(files, STAT_READ_LIMIT);
          return texts.map((text, i) => {
            if (text instanceof Error) {
              if (vanished(text)) return undefined;
              throw text;
            }
            try {
              return parsePidStat(text);
            } catch (err) {
              throw err instanceof ParseError ? err.withFile(files[i] ?? '') : err;
            }
          });
        }),
      ),
    );
    return parts.flat();
  };
  const listTasks = (pid: string) =>
    limit(() => readdir(paths.procFilePath(`${pid}/task`))).then(numeric, (err: unknown) => {
      if (vanished(err)) return [];
      throw err;
    });

  const scan: ProcessScan = { pids: 0, threads: 0, states: new Map(), threadStates: new Map() };
  const pids = numeric(await readdir(paths.procfs));
  try {
    const stats = await readStats(pids.map((pid) => `${pid}/stat`));
    const alive: [string, PidStat][] = [];
    pids.forEach((pid, i) => {
      const stat = stats[i];
      if (stat === undefined) return;
      alive.push([pid, stat]);
      scan.pids++;
      scan.threads += stat.numThreads;
      bump(scan.states, stat.state);
    });
    const tasks = await Promise.all(alive.map(([pid]) => listTasks(pid)));
    const others: string[] = [];
    alive.forEach(([pid, stat], i) => {
      for (const tid of tasks[i] ?? []) {
        if (tid === pid) bump(scan.threadStates, stat.state);
        else others.push(`${pid}/task/${tid}/stat`);
      }
    });
    for (const t of await readStats(others)) if (t !== undefined) bump(scan.threadStates, t.state);
  } catch (err) {
    // Queued trips of a failed scan are dropped rather than run for nothing.
    failed.abort(err);
    throw err;
  }
  return scan;
}

export const processes: CollectorDefinition = {
  name: 'processes',
  defaultEnabled: false,
  create({ paths }) {
    return {
      async collect({ signal }, out) {
        const [scan, threadsMax, pidMax] = await Promise.all([
          scanProcesses(paths, signal),
          readAndParse(paths.procFilePath('sys/kernel/threads-max'), parseUintValue),
          readAndParse(paths.procFilePath('sys/kernel/pid_max'), parseUintValue),
        ]);
        out.add(threadCount, scan.threads);
        out.add(maxThreads, threadsMax);
        for (const [s, n] of scan.states) out.add(processState, n, s);
        for (const [s, n] of scan.threadStates) out.add(threadState, n, s);
        out.add(processCount, scan.pids);
        out.add(maxProcesses, pidMax);
      },
    };
  },
};
