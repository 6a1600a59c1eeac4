import { NoDataError, newDesc, type CollectorDefinition } from '../collector.js';
import { readAndParse } from '../read/files.js';
import { parseUintValue } from '../procfs/value-file.js';
import { hasErrno } from '../errno.js';

const hungTasks = newDesc('node_kernel_hung_tasks_total', 'Tasks the kernel has detected as hung since boot.', 'counter');

export const kernelHung: CollectorDefinition = {
  name: 'kernel_hung',
  defaultEnabled: true,
  create({ paths }) {
    const file = paths.procFilePath('sys/kernel/hung_task_detect_count');
    return {
      async collect(_ctx, out) {
        let count: number;
        try {
          count = await readAndParse(file, parseUintValue);
        } catch (err) {
          // Only recent kernels built with CONFIG_DETECT_HUNG_TASK have the file: no data, as upstream.
          if (hasErrno(err, 'ENOENT')) throw new NoDataError(`${file} does not exist`);
          throw err;
        }
        out.add(hungTasks, count);
      },
    };
  },
};
