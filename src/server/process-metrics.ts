import { readdir } from '../read/dir.js';
import v8 from 'node:v8';
import { newDesc, type Desc } from '../exposition/desc.js';
import type { Sink } from '../exposition/sink.js';
import { parseSoftLimit, parseStatusKiB } from '../procfs/self-status.js';
import { readProcFiles } from '../read/files.js';
import { ownProcFile } from '../read/self.js';

const START_SECONDS = Date.now() / 1000 - process.uptime();
const [MAJOR = '', MINOR = '', PATCH = ''] = process.versions.node.split('.');

const cpuTotal = newDesc('process_cpu_seconds_total', 'User and system CPU time of the exporter, in seconds.', 'counter');
const cpuUser = newDesc('process_cpu_user_seconds_total', 'User CPU time of the exporter, in seconds.', 'counter');
const cpuSystem = newDesc('process_cpu_system_seconds_total', 'System CPU time of the exporter, in seconds.', 'counter');
const startTime = newDesc('process_start_time_seconds', 'When the exporter started, as a Unix timestamp.', 'gauge');
const resident = newDesc('process_resident_memory_bytes', 'Resident memory of the exporter, in bytes.', 'gauge');
const virtual = newDesc('process_virtual_memory_bytes', 'Virtual memory of the exporter, in bytes.', 'gauge');
const virtualMax = newDesc('process_virtual_memory_max_bytes', 'Address-space limit of the exporter, in bytes (+Inf: none).', 'gauge');
const openFds = newDesc('process_open_fds', 'Open file descriptors of the exporter.', 'gauge');
const maxFds = newDesc('process_max_fds', 'Open file descriptor limit of the exporter.', 'gauge');
const heapTotal = newDesc('nodejs_heap_size_total_bytes', 'V8 heap size, in bytes.', 'gauge');
const heapUsed = newDesc('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes.', 'gauge');
const external = newDesc('nodejs_external_memory_bytes', 'Memory held outside the V8 heap (buffers), in bytes.', 'gauge');
const version = newDesc('nodejs_version_info', 'Constant 1, labelled with the Node.js version.', 'gauge', ['major', 'minor', 'patch', 'version']);

/** process.memoryUsage.rss() opens /proc/self/stat: undefined when no fd is free (EMFILE). */
function residentBytes(): number | undefined {
  try {
    return process.memoryUsage.rss();
  } catch {
    return undefined;
  }
}

/**
 * The exporter's own process metrics, under the names Go's process collector gives
 * node_exporter (process_*), plus the Node.js heap. Read in one trip to the addon per scrape:
 * prom-client's default metrics cost ~9 MiB of RSS and event-loop histograms we don't need.
 */
export async function addProcessMetrics(out: Sink): Promise<void> {
  const [[status, limits] = [], fds] = await Promise.all([
    // With no fd or no thread to spare (RLIMIT_NOFILE, a pids limit), these series are left out:
    // the scrape carries on, the collectors report their own failures.
    readProcFiles([ownProcFile('status'), ownProcFile('limits')]).catch(() => []),
    readdir(ownProcFile('fd')).then(
      (d) => d.length,
      () => undefined,
    ),
  ]);
  const statusText = typeof status === 'string' ? status : '';
  const limitsText = typeof limits === 'string' ? limits : '';
  const cpu = process.cpuUsage();
  const heap = v8.getHeapStatistics();
  // A value this process cannot read is left out rather than reported as 0.
  const maybe = (desc: Desc, value: number | undefined) => {
    if (value !== undefined && !Number.isNaN(value)) out.add(desc, value);
  };
  out.add(cpuTotal, (cpu.user + cpu.system) / 1e6);
  out.add(cpuUser, cpu.user / 1e6);
  out.add(cpuSystem, cpu.system / 1e6);
  out.add(startTime, START_SECONDS);
  maybe(resident, residentBytes());
  maybe(virtual, parseStatusKiB(statusText, 'VmSize'));
  maybe(virtualMax, parseSoftLimit(limitsText, 'Max address space'));
  maybe(openFds, fds);
  maybe(maxFds, parseSoftLimit(limitsText, 'Max open files'));
  out.add(heapTotal, heap.total_heap_size);
  out.add(heapUsed, heap.used_heap_size);
  out.add(external, heap.external_memory);
  out.add(version, 1, MAJOR, MINOR, PATCH, process.version);
}
