import { readdir } from '../procfs/dir.js';
import { family, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { parseLnstat } from '../procfs/net-lnstat.js';
import { ifMissing, readAndParse } from '../procfs/read.js';

export const lnstat: CollectorDefinition = {
  name: 'lnstat',
  defaultEnabled: false,
  create({ paths }) {
    const dir = paths.procFilePath('net/stat');
    return {
      async collect(): Promise<MetricFamily[]> {
        // No /proc/net/stat (no networking) is an empty scrape upstream, not a failure.
        const entries = await readdir(dir, { withFileTypes: true }).catch(ifMissing([]));
        const files = entries.filter((e) => !e.isDirectory()).map((e) => e.name).sort();
        const families = new Map<string, MetricFamily>();
        for (const subsystem of files) {
          const columns = await readAndParse(paths.procFilePath(`net/stat/${subsystem}`), parseLnstat);
          for (const [column, perCpu] of columns) {
            const name = `node_lnstat_${column}_total`;
            let f = families.get(name);
            if (f === undefined) families.set(name, (f = family(name, `Per-CPU network cache counter "${column}" from /proc/net/stat.`, 'counter')));
            perCpu.forEach((value, cpu) => f.samples.push({ labels: { subsystem, cpu: String(cpu) }, value }));
          }
        }
        return [...families.values()];
      },
    };
  },
};
