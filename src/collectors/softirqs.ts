import { newDesc, type CollectorDefinition } from '../collector.js';
import { readAndParse } from '../read/files.js';
import { parseSoftirqs } from '../procfs/softirqs.js';

/**
 * The rows node_exporter exports. A row the kernel renamed or added (BLOCK_IOPOLL on kernels
 * before 4.4) is left out, as upstream leaves it out.
 */
const TYPES = ['HI', 'TIMER', 'NET_TX', 'NET_RX', 'BLOCK', 'IRQ_POLL', 'TASKLET', 'SCHED', 'HRTIMER', 'RCU'] as const;

const functionsDesc = newDesc('node_softirqs_functions_total', 'Softirqs handled by each CPU since boot, per type, from /proc/softirqs.', 'counter', ['cpu', 'type']);

export const softirqs: CollectorDefinition = {
  name: 'softirqs',
  defaultEnabled: false,
  create({ paths }) {
    const file = paths.procFilePath('softirqs');
    return {
      async collect(_ctx, out) {
        const rows = await readAndParse(file, parseSoftirqs);
        for (const type of TYPES) rows.get(type)?.forEach((value, cpu) => out.add(functionsDesc, value, String(cpu), type));
      },
    };
  },
};
