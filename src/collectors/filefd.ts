import { family, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { parseFileNr } from '../procfs/file-nr.js';
import { readAndParse } from '../procfs/read.js';

export const filefd: CollectorDefinition = {
  name: 'filefd',
  defaultEnabled: true,
  create({ paths }) {
    const file = paths.procFilePath('sys/fs/file-nr');
    return {
      async collect(): Promise<MetricFamily[]> {
        const nr = await readAndParse(file, parseFileNr);
        return [
          family('node_filefd_allocated', 'File handles the kernel has allocated (first field of file-nr).', 'gauge', [{ labels: {}, value: nr.allocated }]),
          family('node_filefd_maximum', 'Most file handles the kernel will allocate (fs.file-max).', 'gauge', [{ labels: {}, value: nr.maximum }]),
        ];
      },
    };
  },
};
