import { readdir } from '../procfs/dir.js';
import v8 from 'node:v8';
import type { MetricFamily } from '../collector.js';
import { readProcFiles } from '../procfs/read.js';

/** Our own process, not the host's: always the real /proc, whatever --path.procfs says. */
const SELF = '/proc/self';
const START_SECONDS = Date.now() / 1000 - process.uptime();
const [MAJOR = '', MINOR = '', PATCH = ''] = process.versions.node.split('.');

/** "Max open files  1024  4096  files" → soft limit; "unlimited" → +Inf. */
export function softLimit(limits: string, name: string): number | undefined {
  const line = limits.split('\n').find((l) => l.startsWith(name));
  const soft = line?.slice(name.length).trim().split(/\s+/)[0];
  if (soft === undefined) return undefined;
  return soft === 'unlimited' ? Infinity : Number(soft);
}

export function statusKiB(status: string, field: string): number | undefined {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  return m === null ? undefined : Number(m[1]) * 1024;
}

const gauge = (name: string, help: string, value: number | undefined, labels: Record<string, string> = {}): MetricFamily[] =>
  value === undefined || Number.isNaN(value) ? [] : [{ name, help, type: 'gauge', samples: [{ labels, value }] }];
const counter = (name: string, help: string, value: number): MetricFamily => ({ name, help, type: 'counter', samples: [{ labels: {}, value }] });

/**
 * The exporter's own process metrics, under the names Go's process collector gives
 * node_exporter (process_*), plus the Node.js heap. Read in one trip to the addon per scrape:
 * prom-client's default metrics cost ~9 MiB of RSS and event-loop histograms we don't need.
 */
export async function processFamilies(): Promise<MetricFamily[]> {
  const [[status, limits], fds] = await Promise.all([
    readProcFiles([`${SELF}/status`, `${SELF}/limits`]),
    readdir(`${SELF}/fd`).then((d) => d.length, () => undefined),
  ]);
  const statusText = typeof status === 'string' ? status : '';
  const limitsText = typeof limits === 'string' ? limits : '';
  const cpu = process.cpuUsage();
  const heap = v8.getHeapStatistics();
  return [
    counter('process_cpu_seconds_total', 'User and system CPU time of the exporter, in seconds.', (cpu.user + cpu.system) / 1e6),
    counter('process_cpu_user_seconds_total', 'User CPU time of the exporter, in seconds.', cpu.user / 1e6),
    counter('process_cpu_system_seconds_total', 'System CPU time of the exporter, in seconds.', cpu.system / 1e6),
    ...gauge('process_start_time_seconds', 'When the exporter started, as a Unix timestamp.', START_SECONDS),
    ...gauge('process_resident_memory_bytes', 'Resident memory of the exporter, in bytes.', process.memoryUsage.rss()),
    ...gauge('process_virtual_memory_bytes', 'Virtual memory of the exporter, in bytes.', statusKiB(statusText, 'VmSize')),
    ...gauge('process_virtual_memory_max_bytes', 'Address-space limit of the exporter, in bytes (+Inf: none).', softLimit(limitsText, 'Max address space')),
    ...gauge('process_open_fds', 'Open file descriptors of the exporter.', fds),
    ...gauge('process_max_fds', 'Open file descriptor limit of the exporter.', softLimit(limitsText, 'Max open files')),
    ...gauge('nodejs_heap_size_total_bytes', 'V8 heap size, in bytes.', heap.total_heap_size),
    ...gauge('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes.', heap.used_heap_size),
    ...gauge('nodejs_external_memory_bytes', 'Memory held outside the V8 heap (buffers), in bytes.', heap.external_memory),
    ...gauge('nodejs_version_info', 'Constant 1, labelled with the Node.js version.', 1, { major: MAJOR, minor: MINOR, patch: PATCH, version: process.version }),
  ];
}
