import { NoDataError, family, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { hasErrno, readAndParse } from '../procfs/read.js';
import { parseUintValue } from '../procfs/value-file.js';

export const kernelHung: CollectorDefinition = {
  name: 'kernel_hung',
  defaultEnabled: true,
  create({ paths }) {
    const file = paths.procFilePath('sys/kernel/hung_task_detect_count');
    return {
      async collect(): Promise<MetricFamily[]> {
        let count: number;
        try {
          count = await readAndParse(file, parseUintValue);
        } catch (err) {
          // Only recent kernels built with CONFIG_DETECT_HUNG_TASK have the file: no data, as upstream.
          if (hasErrno(err, 'ENOENT')) throw new NoDataError(`${file} does not exist`);
          throw err;
        }
        return [
          family('node_kernel_hung_tasks_total', 'Tasks the kernel has detected as hung since boot.', 'counter', [{ labels: {}, value: count }]),
        ];
      },
    };
  },
};
