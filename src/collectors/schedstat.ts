import { newDesc, type CollectorDefinition } from '../collector.js';
import { noDataIfMissing, readAndParse } from '../read/files.js';
import { parseSchedstat } from '../procfs/schedstat.js';

const NS_PER_SECOND = 1e9;

const runningDesc = newDesc('node_schedstat_running_seconds_total', 'Seconds each CPU spent running tasks.', 'counter', ['cpu']);
const waitingDesc = newDesc('node_schedstat_waiting_seconds_total', 'Seconds tasks spent runnable but waiting for each CPU.', 'counter', ['cpu']);
const timeslicesDesc = newDesc('node_schedstat_timeslices_total', 'Timeslices each CPU has run.', 'counter', ['cpu']);

export const schedstat: CollectorDefinition = {
  name: 'schedstat',
  defaultEnabled: true,
  create({ paths, logger }) {
    const file = paths.procFilePath('schedstat');
    return {
      async collect(_ctx, out) {
        // Kernels built without CONFIG_SCHEDSTATS have no file: nothing to report here.
        const stats = await readAndParse(file, parseSchedstat).catch(noDataIfMissing(file));
        if (stats.skippedLines.length > 0) logger.debug('skipped unreadable cpu lines', { file, lines: stats.skippedLines.join(',') });
        for (const c of stats.cpus) {
          out.add(runningDesc, c.runningNanoseconds / NS_PER_SECOND, c.cpu);
          out.add(waitingDesc, c.waitingNanoseconds / NS_PER_SECOND, c.cpu);
          out.add(timeslicesDesc, c.timeslices, c.cpu);
        }
      },
    };
  },
};
