import { family, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { parseLoadavg } from '../procfs/loadavg.js';
import { readAndParse } from '../procfs/read.js';

export const loadavg: CollectorDefinition = {
  name: 'loadavg',
  defaultEnabled: true,
  create({ paths }) {
    const file = paths.procFilePath('loadavg');
    return {
      async collect(): Promise<MetricFamily[]> {
        const load = await readAndParse(file, parseLoadavg);
        return [
          family('node_load1', '1-minute load average.', 'gauge', [{ labels: {}, value: load.load1 }]),
          family('node_load5', '5-minute load average.', 'gauge', [{ labels: {}, value: load.load5 }]),
          family('node_load15', '15-minute load average.', 'gauge', [{ labels: {}, value: load.load15 }]),
        ];
      },
    };
  },
};
