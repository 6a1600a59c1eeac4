import { family, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { readAndParse } from '../procfs/read.js';
import { parseUintValue } from '../procfs/value-file.js';

export const entropy: CollectorDefinition = {
  name: 'entropy',
  defaultEnabled: true,
  create({ paths }) {
    const avail = paths.procFilePath('sys/kernel/random/entropy_avail');
    const poolsize = paths.procFilePath('sys/kernel/random/poolsize');
    return {
      async collect(): Promise<MetricFamily[]> {
        const [bits, size] = await Promise.all([readAndParse(avail, parseUintValue), readAndParse(poolsize, parseUintValue)]);
        return [
          family('node_entropy_available_bits', 'Entropy the kernel random pool holds, in bits.', 'gauge', [{ labels: {}, value: bits }]),
          family('node_entropy_pool_size_bits', 'Size of the kernel entropy pool, in bits.', 'gauge', [{ labels: {}, value: size }]),
        ];
      },
    };
  },
};
