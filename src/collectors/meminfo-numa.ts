import { readdir } from '../procfs/dir.js';
import { family, type CollectorDefinition, type MetricFamily, type MetricType } from '../collector.js';
import { ifMissing, readAndParse } from '../procfs/read.js';
import { nodeMeminfoMetricName, parseNodeMeminfo } from '../sysfs/node-meminfo.js';
import { parseNumastat } from '../sysfs/numastat.js';

export const meminfoNuma: CollectorDefinition = {
  name: 'meminfo_numa',
  defaultEnabled: false,
  create({ paths }) {
    const nodeDir = paths.sysFilePath('devices/system/node');
    return {
      async collect(): Promise<MetricFamily[]> {
        // As upstream's glob node[0-9]*: no node directory at all is simply nothing to report.
        const nodes = (await readdir(nodeDir).catch(ifMissing([] as string[]))).filter((n) => /^node\d/.test(n)).sort();
        const perNode = await Promise.all(
          nodes.map(async (n) => {
            const dir = paths.sysFilePath(`devices/system/node/${n}`);
            const [meminfo, numastat] = await Promise.all([
              readAndParse(`${dir}/meminfo`, parseNodeMeminfo),
              readAndParse(`${dir}/numastat`, parseNumastat),
            ]);
            // numastat has no node column: its node is the directory's number.
            return { node: /^node(\d*)/.exec(n)?.[1] ?? '', meminfo, numastat };
          }),
        );
        const families = new Map<string, MetricFamily>();
        const add = (name: string, type: MetricType, help: string, node: string, value: number) => {
          let f = families.get(name);
          if (f === undefined) families.set(name, (f = family(`node_memory_numa_${name}`, help, type)));
          f.samples.push({ labels: { node }, value });
        };
        for (const { node, meminfo, numastat } of perNode) {
          for (const e of meminfo) {
            const name = nodeMeminfoMetricName(e.key);
            add(name, 'gauge', `NUMA node memory field ${e.key} (bytes where the kernel gives kB).`, e.node, e.value);
          }
          for (const [key, value] of numastat) add(`${key}_total`, 'counter', `NUMA allocation counter ${key}, in pages.`, node, value);
        }
        return [...families.values()];
      },
    };
  },
};
