import { newDesc, type CollectorDefinition } from '../collector.js';
import { readAndParse } from '../read/files.js';
import { parseUintValue } from '../procfs/value-file.js';

const availableBits = newDesc('node_entropy_available_bits', 'Entropy the kernel random pool holds, in bits.', 'gauge');
const poolSizeBits = newDesc('node_entropy_pool_size_bits', 'Size of the kernel entropy pool, in bits.', 'gauge');

export const entropy: CollectorDefinition = {
  name: 'entropy',
  defaultEnabled: true,
  create({ paths }) {
    const avail = paths.procFilePath('sys/kernel/random/entropy_avail');
    const poolsize = paths.procFilePath('sys/kernel/random/poolsize');
    return {
      async collect(_ctx, out) {
        const [bits, size] = await Promise.all([readAndParse(avail, parseUintValue), readAndParse(poolsize, parseUintValue)]);
        out.add(availableBits, bits);
        out.add(poolSizeBits, size);
      },
    };
  },
};
