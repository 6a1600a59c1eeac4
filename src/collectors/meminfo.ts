import { family, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { meminfoMetricName, parseMeminfo } from '../procfs/meminfo.js';
import { readAndParse } from '../procfs/read.js';

export const meminfo: CollectorDefinition = {
  name: 'meminfo',
  defaultEnabled: true,
  create({ paths }) {
    const file = paths.procFilePath('meminfo');
    return {
      async collect(): Promise<MetricFamily[]> {
        const info = await readAndParse(file, parseMeminfo);
        const out: MetricFamily[] = [];
        for (const [key, value] of info) {
          const suffix = meminfoMetricName(key);
          if (suffix === undefined) continue;
          // node_exporter types the *_total meminfo fields as counters, everything else gauges.
          const type = suffix.endsWith('_total') ? 'counter' : 'gauge';
          out.push(family(`node_memory_${suffix}`, `Memory information field ${suffix}.`, type, [{ labels: {}, value }]));
        }
        return out;
      },
    };
  },
};
