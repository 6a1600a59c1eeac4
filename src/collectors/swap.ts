import { family, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { readAndParse } from '../procfs/read.js';
import { parseSwaps } from '../procfs/swaps.js';

/**
 * Each active swap area of <procfs>/swaps. Unlike meminfo's totals, per device. A kernel without
 * swap support has no such file: that is a failure here, as upstream (no ErrNoData).
 */
export const swap: CollectorDefinition = {
  name: 'swap',
  defaultEnabled: false,
  create({ paths }) {
    const file = paths.procFilePath('swaps');
    return {
      async collect(): Promise<MetricFamily[]> {
        const areas = await readAndParse(file, parseSwaps);
        const size = family('node_swap_size_bytes', 'Size of the swap area in bytes.', 'gauge');
        const used = family('node_swap_used_bytes', 'Bytes of the swap area in use.', 'gauge');
        const priority = family('node_swap_priority', 'Priority of the swap area (higher is used first).', 'gauge');
        for (const a of areas) {
          const labels = { device: a.filename, swap_type: a.type };
          // The kernel prints KiB.
          size.samples.push({ labels, value: a.size * 1024 });
          used.samples.push({ labels, value: a.used * 1024 });
          priority.samples.push({ labels, value: a.priority });
        }
        return [size, used, priority];
      },
    };
  },
};
