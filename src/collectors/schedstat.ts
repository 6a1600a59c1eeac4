import { family, type CollectorDefinition, type MetricFamily, type Sample } from '../collector.js';
import { noDataIfMissing, readAndParse } from '../procfs/read.js';
import { parseSchedstat } from '../procfs/schedstat.js';

const NS_PER_SECOND = 1e9;

export const schedstat: CollectorDefinition = {
  name: 'schedstat',
  defaultEnabled: true,
  create({ paths, logger }) {
    const file = paths.procFilePath('schedstat');
    return {
      async collect(): Promise<MetricFamily[]> {
        // Kernels built without CONFIG_SCHEDSTATS have no file: nothing to report here.
        const stats = await readAndParse(file, parseSchedstat).catch(noDataIfMissing(file));
        if (stats.skippedLines.length > 0) logger.debug('skipped unreadable cpu lines', { file, lines: stats.skippedLines.join(',') });
        const running: Sample[] = [];
        const waiting: Sample[] = [];
        const slices: Sample[] = [];
        for (const c of stats.cpus) {
          const labels = { cpu: c.cpu };
          running.push({ labels, value: c.runningNanoseconds / NS_PER_SECOND });
          waiting.push({ labels, value: c.waitingNanoseconds / NS_PER_SECOND });
          slices.push({ labels, value: c.timeslices });
        }
        return [
          family('node_schedstat_running_seconds_total', 'Seconds each CPU spent running tasks.', 'counter', running),
          family('node_schedstat_waiting_seconds_total', 'Seconds tasks spent runnable but waiting for each CPU.', 'counter', waiting),
          family('node_schedstat_timeslices_total', 'Timeslices each CPU has run.', 'counter', slices),
        ];
      },
    };
  },
};
