import { booleanOption, family, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { readAndParse } from '../procfs/read.js';
import { SOFTIRQ_VECTORS, parseStat } from '../procfs/stat.js';

export const stat: CollectorDefinition = {
  name: 'stat',
  defaultEnabled: true,
  options: [{ flag: 'collector.stat.softirq', help: 'Export node_softirqs_total per softirq vector (default: false).', boolean: true, defaultValue: 'false' }],
  create({ paths, options }) {
    const file = paths.procFilePath('stat');
    const softirq = booleanOption(options, 'collector.stat.softirq', false);
    return {
      async collect(): Promise<MetricFamily[]> {
        const s = await readAndParse(file, parseStat);
        const one = (value: number) => [{ labels: {}, value }];
        const out = [
          family('node_intr_total', 'Interrupts serviced since boot, all sources together.', 'counter', one(s.intrTotal)),
          family('node_context_switches_total', 'Context switches since boot.', 'counter', one(s.contextSwitches)),
          family('node_forks_total', 'Processes and threads created since boot.', 'counter', one(s.forks)),
          family('node_boot_time_seconds', 'When the system booted, in seconds since the Unix epoch.', 'gauge', one(s.bootTime)),
          family('node_procs_running', 'Tasks runnable right now.', 'gauge', one(s.procsRunning)),
          family('node_procs_blocked', 'Tasks blocked waiting for I/O to complete.', 'gauge', one(s.procsBlocked)),
        ];
        if (softirq) {
          out.push(family('node_softirqs_total', 'Softirqs raised since boot, per vector, from /proc/stat.', 'counter',
            SOFTIRQ_VECTORS.map((vector) => ({ labels: { vector }, value: s.softirqs[vector] }))));
        }
        return out;
      },
    };
  },
};
