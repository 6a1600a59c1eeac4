import { FieldDescs, newDesc, type CollectorDefinition } from '../collector.js';
import { meminfoMetricName, parseMeminfo } from '../procfs/meminfo.js';
import { readAndParse } from '../read/files.js';

export const meminfo: CollectorDefinition = {
  name: 'meminfo',
  defaultEnabled: true,
  create({ paths }) {
    const file = paths.procFilePath('meminfo');
    // One family per meminfo key this kernel has (and node_exporter exports).
    const descs = new FieldDescs((key) => {
      const suffix = meminfoMetricName(key);
      if (suffix === undefined) return null;
      // node_exporter types the *_total meminfo fields as counters, everything else gauges.
      return newDesc(`node_memory_${suffix}`, `Memory information field ${suffix}.`, suffix.endsWith('_total') ? 'counter' : 'gauge');
    });
    return {
      async collect(_ctx, out) {
        const info = await readAndParse(file, parseMeminfo);
        // forEach: no entry array per field where V8 leaves a for-of unoptimised (Node 24).
        info.forEach((value, key) => {
          const desc = descs.get(key);
          if (desc !== null) out.add(desc, value);
        });
      },
    };
  },
};
