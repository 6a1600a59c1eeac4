import { readdir } from '../read/dir.js';
import { DescTable, type CollectorDefinition } from '../collector.js';
import { parseLnstat } from '../procfs/net-lnstat.js';
import { ifMissing, readAndParse } from '../read/files.js';

export const lnstat: CollectorDefinition = {
  name: 'lnstat',
  defaultEnabled: false,
  create({ paths }) {
    const dir = paths.procFilePath('net/stat');
    // One family per column of the kernel's tables: names known only at run time.
    const descs = new DescTable();
    return {
      async collect(_ctx, out) {
        // No /proc/net/stat (no networking) is an empty scrape upstream, not a failure.
        const entries = await readdir(dir, { withFileTypes: true }).catch(ifMissing([]));
        const files = entries
          .filter((e) => !e.isDirectory())
          .map((e) => e.name)
          .sort();
        descs.nextRound();
        for (const subsystem of files) {
          const columns = await readAndParse(paths.procFilePath(`net/stat/${subsystem}`), parseLnstat);
          for (const [column, perCpu] of columns) {
            const desc = descs.get(`node_lnstat_${column}_total`, `Per-CPU network cache counter "${column}" from /proc/net/stat.`, 'counter', ['subsystem', 'cpu']);
            perCpu.forEach((value, cpu) => out.add(desc, value, subsystem, String(cpu)));
          }
        }
      },
    };
  },
};
