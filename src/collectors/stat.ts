import { booleanOption, newDesc, type CollectorDefinition, type Desc } from '../collector.js';
import { readAndParse } from '../read/files.js';
import { SOFTIRQ_VECTORS, parseStat, type ProcStat } from '../procfs/stat.js';

const FIELDS: readonly [Desc, (s: ProcStat) => number][] = [
  [newDesc('node_intr_total', 'Interrupts serviced since boot, all sources together.', 'counter'), (s) => s.intrTotal],
  [newDesc('node_context_switches_total', 'Context switches since boot.', 'counter'), (s) => s.contextSwitches],
  [newDesc('node_forks_total', 'Processes and threads created since boot.', 'counter'), (s) => s.forks],
  [newDesc('node_boot_time_seconds', 'When the system booted, in seconds since the Unix epoch.', 'gauge'), (s) => s.bootTime],
  [newDesc('node_procs_running', 'Tasks runnable right now.', 'gauge'), (s) => s.procsRunning],
  [newDesc('node_procs_blocked', 'Tasks blocked waiting for I/O to complete.', 'gauge'), (s) => s.procsBlocked],
];
const softirqsDesc = newDesc('node_softirqs_total', 'Softirqs raised since boot, per vector, from /proc/stat.', 'counter', ['vector']);

export const stat: CollectorDefinition = {
  name: 'stat',
  defaultEnabled: true,
  options: [{ flag: 'collector.stat.softirq', help: 'Export node_softirqs_total per softirq vector (default: false).', boolean: true, defaultValue: 'false' }],
  create({ paths, options }) {
    const file = paths.procFilePath('stat');
    const softirq = booleanOption(options, 'collector.stat.softirq', false);
    return {
      async collect(_ctx, out) {
        const s = await readAndParse(file, parseStat);
        for (let k = 0; k < FIELDS.length; k++) {
          const [desc, value] = FIELDS[k] as (typeof FIELDS)[number];
          out.add(desc, value(s));
        }
        if (softirq) for (const vector of SOFTIRQ_VECTORS) out.add(softirqsDesc, s.softirqs[vector], vector);
      },
    };
  },
};
