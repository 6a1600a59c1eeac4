import { DescTable, type CollectorDefinition } from '../collector.js';
import { meminfoMetricName, parseMeminfo } from '../procfs/meminfo.js';
import { readAndParse } from '../read/files.js';

export const meminfo: CollectorDefinition = {
  name: 'meminfo',
  defaultEnabled: true,
  create({ paths }) {
    const file = paths.procFilePath('meminfo');
    // One family per meminfo key this kernel has.
    const descs = new DescTable();
    return {
      async collect(_ctx, out) {
        const info = await readAndParse(file, parseMeminfo);
        descs.nextRound();
        for (const [key, value] of info) {
          const suffix = meminfoMetricName(key);
          if (suffix === undefined) continue;
          // node_exporter types the *_total meminfo fields as counters, everything else gauges.
          const type = suffix.endsWith('_total') ? 'counter' : 'gauge';
          out.add(descs.get(`node_memory_${suffix}`, `Memory information field ${suffix}.`, type), value);
        }
      },
    };
  },
};
