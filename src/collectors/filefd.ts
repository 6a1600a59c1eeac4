import { newDesc, type CollectorDefinition } from '../collector.js';
import { parseFileNr } from '../procfs/file-nr.js';
import { readAndParse } from '../read/files.js';

const allocated = newDesc('node_filefd_allocated', 'File handles the kernel has allocated (first field of file-nr).', 'gauge');
const maximum = newDesc('node_filefd_maximum', 'Most file handles the kernel will allocate (fs.file-max).', 'gauge');

export const filefd: CollectorDefinition = {
  name: 'filefd',
  defaultEnabled: true,
  create({ paths }) {
    const file = paths.procFilePath('sys/fs/file-nr');
    return {
      async collect(_ctx, out) {
        const nr = await readAndParse(file, parseFileNr);
        out.add(allocated, nr.allocated);
        out.add(maximum, nr.maximum);
      },
    };
  },
};
