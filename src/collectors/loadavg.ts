import { newDesc, type CollectorDefinition } from '../collector.js';
import { parseLoadavg } from '../procfs/loadavg.js';
import { readAndParse } from '../read/files.js';

const load1 = newDesc('node_load1', '1-minute load average.', 'gauge');
const load5 = newDesc('node_load5', '5-minute load average.', 'gauge');
const load15 = newDesc('node_load15', '15-minute load average.', 'gauge');

export const loadavg: CollectorDefinition = {
  name: 'loadavg',
  defaultEnabled: true,
  create({ paths }) {
    const file = paths.procFilePath('loadavg');
    return {
      async collect(_ctx, out) {
        const load = await readAndParse(file, parseLoadavg);
        out.add(load1, load.load1);
        out.add(load5, load.load5);
        out.add(load15, load.load15);
      },
    };
  },
};
