import { newDesc, type CollectorDefinition } from '../collector.js';
import { readAndParse } from '../read/files.js';
import { parseSwaps } from '../procfs/swaps.js';

const sizeDesc = newDesc('node_swap_size_bytes', 'Size of the swap area in bytes.', 'gauge', ['device', 'swap_type']);
const usedDesc = newDesc('node_swap_used_bytes', 'Bytes of the swap area in use.', 'gauge', ['device', 'swap_type']);
const priorityDesc = newDesc('node_swap_priority', 'Priority of the swap area (higher is used first).', 'gauge', ['device', 'swap_type']);

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
      async collect(_ctx, out) {
        for (const a of await readAndParse(file, parseSwaps)) {
          // The kernel prints KiB.
          out.add(sizeDesc, a.size * 1024, a.filename, a.type);
          out.add(usedDesc, a.used * 1024, a.filename, a.type);
          out.add(priorityDesc, a.priority, a.filename, a.type);
        }
      },
    };
  },
};
