import { readdir } from '../read/dir.js';
import { DescTable, type CollectorDefinition } from '../collector.js';
import { ifMissing, readAndParse } from '../read/files.js';
import { nodeMeminfoMetricName, parseNodeMeminfo } from '../sysfs/node-meminfo.js';
import { parseNumastat } from '../sysfs/numastat.js';

export const meminfoNuma: CollectorDefinition = {
  name: 'meminfo_numa',
  defaultEnabled: false,
  create({ paths }) {
    const nodeDir = paths.sysFilePath('devices/system/node');
    // One family per meminfo and numastat key of the kernel.
    const descs = new DescTable();
    return {
      async collect(_ctx, out) {
        // As upstream's glob node[0-9]*: no node directory at all is simply nothing to report.
        const nodes = (await readdir(nodeDir).catch(ifMissing([] as string[]))).filter((n) => /^node\d/.test(n)).sort();
        const perNode = await Promise.all(
          nodes.map(async (n) => {
            const dir = paths.sysFilePath(`devices/system/node/${n}`);
            const [meminfo, numastat] = await Promise.all([readAndParse(`${dir}/meminfo`, parseNodeMeminfo), readAndParse(`${dir}/numastat`, parseNumastat)]);
            // numastat has no node column: its node is the directory's number.
            return { node: /^node(\d*)/.exec(n)?.[1] ?? '', meminfo, numastat };
          }),
        );
        descs.nextRound();
        for (const { node, meminfo, numastat } of perNode) {
          for (const e of meminfo) {
            const name = `node_memory_numa_${nodeMeminfoMetricName(e.key)}`;
            out.add(descs.get(name, `NUMA node memory field ${e.key} (bytes where the kernel gives kB).`, 'gauge', ['node']), e.value, e.node);
          }
          for (const [key, value] of numastat) {
            out.add(descs.get(`node_memory_numa_${key}_total`, `NUMA allocation counter ${key}, in pages.`, 'counter', ['node']), value, node);
          }
        }
      },
    };
  },
};
