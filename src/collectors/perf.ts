import { availableParallelism } from 'node:os';
import { ConfigError, DescTable, listOption, type CollectorDefinition } from '../collector.js';
import type { Logger } from '../logger.js';
import { fdReads, perfEventOpen, SyscallError } from '../native.js';
import { encodeAttr, groupReadSize, parseCounterRead, parseCpuList, parseGroupRead, PERF_TYPE_TRACEPOINT } from '../perf/attr.js';
import { CACHE_EVENTS, HARDWARE_EVENTS, parseTracepoint, parseTracepointId, selectEvents, SOFTWARE_EVENTS, tracefsMount, type PerfEvent, type Tracepoint } from '../perf/events.js';
import { readAndParse, readProcFile } from '../read/files.js';
import { ParseError } from '../procfs/parse-error.js';
import { ownPaths } from '../read/self.js';

const F = 'collector.perf';

interface Counter {
  cpu: number;
  event: PerfEvent;
  fd: number;
}
/** One group per CPU with every tracepoint, read in one go through the leader. */
interface TraceGroup {
  cpu: number;
  leader: number;
}

interface Opened {
  counters: Counter[];
  groups: TraceGroup[];
  /** Set when nothing could be opened, or the tracepoints could not: every scrape reports it. */
  failure?: string;
}

function describe(err: unknown): string {
  if (err instanceof SyscallError) {
    if (err.code === 'EACCES' || err.code === 'EPERM') return `${err.code} (needs CAP_PERFMON or root, or kernel.perf_event_paranoid <= 0)`;
    if (err.code === 'ENOENT' || err.code === 'EOPNOTSUPP' || err.code === 'ENOTSUP') return `${err.code} (event not supported by this CPU or hypervisor)`;
    return err.code;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Opens one counter per event and CPU. Counters that cannot be opened are skipped, as
 * upstream does, but said once (grouped by reason) instead of silently.
 */
async function openCounters(cpus: readonly number[], events: readonly PerfEvent[], logger: Logger): Promise<{ counters: Counter[]; firstError?: string }> {
  const jobs = cpus.flatMap((cpu) => events.map((event) => ({ cpu, event })));
  const results = await Promise.allSettled(jobs.map((j) => perfEventOpen(encodeAttr({ type: j.event.type, config: j.event.config, inherit: true }), -1, j.cpu)));
  const counters: Counter[] = [];
  const failed = new Map<string, Set<string>>();
  results.forEach((r, i) => {
    const j = jobs[i];
    if (j === undefined) return;
    if (r.status === 'fulfilled') counters.push({ ...j, fd: r.value });
    else {
      const why = describe(r.reason);
      let s = failed.get(why);
      if (s === undefined) failed.set(why, (s = new Set()));
      s.add(j.event.profiler);
    }
  });
  for (const [why, profilers] of failed) logger.warn('perf counters unavailable, not reported', { err: why, profilers: [...profilers].join(',') });
  const firstError = failed.keys().next().value;
  return firstError === undefined ? { counters } : { counters, firstError };
}

/**
 * Tracepoint ids come from the exporter's own tracefs mount (default roots, not --path.*): they
 * are the running kernel's, whatever host tree the flags point at.
 */
async function tracepointIds(tracepoints: readonly Tracepoint[]): Promise<number[]> {
  const mount = tracefsMount(await readProcFile(ownPaths().procFilePath('mounts')));
  if (mount === undefined) throw new Error('tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)');
  return Promise.all(tracepoints.map((t) => readAndParse(`${mount}/events/${t.subsystem}/${t.event}/id`, parseTracepointId)));
}

async function openTraceGroups(cpus: readonly number[], ids: readonly number[]): Promise<TraceGroup[]> {
  const groups: TraceGroup[] = [];
  for (const cpu of cpus) {
    let leader = -1;
    for (const config of ids) {
      // The leader counts from its open; members join it and are read through it.
      const fd = await perfEventOpen(encodeAttr({ type: PERF_TYPE_TRACEPOINT, config, group: true }), -1, cpu, leader);
      if (leader === -1) leader = fd;
    }
    groups.push({ cpu, leader });
  }
  return groups;
}

async function open(cpus: readonly number[], events: readonly PerfEvent[], tracepoints: readonly Tracepoint[], logger: Logger): Promise<Opened> {
  const { counters, firstError } = await openCounters(cpus, events, logger);
  let groups: TraceGroup[] = [];
  if (tracepoints.length > 0) {
    try {
      groups = await openTraceGroups(cpus, await tracepointIds(tracepoints));
    } catch (err) {
      return { counters, groups, failure: `perf tracepoints: ${describe(err)}` };
    }
  }
  if (counters.length === 0 && groups.length === 0) {
    return { counters, groups, failure: `no perf counter could be opened${firstError === undefined ? '' : `: ${firstError}`}` };
  }
  return { counters, groups };
}

export const perf: CollectorDefinition = {
  name: 'perf',
  defaultEnabled: false,
  options: [
    { flag: `${F}.cpus`, help: 'CPUs to count on: a list and ranges like "0,2-5" or "0-30:2" (default: every CPU).', defaultValue: '' },
    { flag: `${F}.tracepoint`, help: 'A kernel tracepoint to count, as subsystem:event (repeatable).', repeatable: true },
    { flag: `${F}.disable-hardware-profilers`, help: 'Open no hardware counters.', boolean: true },
    { flag: `${F}.hardware-profilers`, help: 'Hardware counters to open, by profiler name (repeatable; default all).', repeatable: true },
    { flag: `${F}.disable-software-profilers`, help: 'Open no software counters.', boolean: true },
    { flag: `${F}.software-profilers`, help: 'Software counters to open, by profiler name (repeatable; default all).', repeatable: true },
    { flag: `${F}.disable-cache-profilers`, help: 'Open no cache counters.', boolean: true },
    { flag: `${F}.cache-profilers`, help: 'Cache counters to open, by profiler name (repeatable; default all).', repeatable: true },
  ],
  create({ options, logger }) {
    const cpusFlag = options.get(`${F}.cpus`);
    let cpus: number[];
    let tracepoints: Tracepoint[];
    try {
      cpus = parseCpuList(typeof cpusFlag === 'string' ? cpusFlag : '', availableParallelism());
      tracepoints = listOption(options, `${F}.tracepoint`).map(parseTracepoint);
    } catch (err) {
      if (err instanceof ParseError) throw new ConfigError(`--${F}.*: ${err.message}`);
      throw err;
    }
    const events: PerfEvent[] = [];
    for (const [kind, all, disable] of [
      ['hardware', HARDWARE_EVENTS, 'disable-hardware-profilers'],
      ['software', SOFTWARE_EVENTS, 'disable-software-profilers'],
      ['cache', CACHE_EVENTS, 'disable-cache-profilers'],
    ] as const) {
      if (options.get(`${F}.${disable}`) === true) continue;
      const sel = selectEvents(all, listOption(options, `${F}.${kind}-profilers`));
      // Upstream logs an unknown name and goes on with the rest.
      for (const u of sel.unknown) logger.error(`unknown ${kind} profiler`, { profiler: u });
      events.push(...sel.events);
    }
    // Counters are opened once and count from then on, as upstream's; reading never blocks.
    const opened = open(cpus, events, tracepoints, logger);
    // node_perf_<event>: which ones is known only once the flags are read.
    const descs = new DescTable();
    return {
      async collect(_ctx, out) {
        const o = await opened;
        if (o.failure !== undefined) throw new Error(o.failure);
        const [counterReads, groupReads] = await Promise.all([
          fdReads(
            o.counters.map((c) => c.fd),
            24,
          ),
          fdReads(
            o.groups.map((g) => g.leader),
            groupReadSize(tracepoints.length),
          ),
        ]);
        // A failed read fails the scrape, as upstream's Profile error does.
        const bytes = (r: Buffer | SyscallError): Buffer => {
          if (r instanceof SyscallError) throw r;
          return r;
        };
        const values = counterReads.map((r) => parseCounterRead(bytes(r)).value);
        const groupValues = groupReads.map((r) => parseGroupRead(bytes(r), tracepoints.length));
        descs.nextRound();
        const add = (metric: string, help: string, cpu: number, value: number) => {
          out.add(descs.get(`node_perf_${metric}`, help, 'counter', ['cpu']), value, String(cpu));
        };
        o.counters.forEach((c, i) => add(c.event.metric, c.event.help, c.cpu, values[i] ?? 0));
        o.groups.forEach((g, i) => {
          tracepoints.forEach((t, k) => add(`${t.subsystem}_${t.event}`, `Times the tracepoint ${t.subsystem}:${t.event} fired.`, g.cpu, groupValues[i]?.[k] ?? 0));
        });
      },
    };
  },
};
