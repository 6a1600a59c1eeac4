import { NoDataError, newDesc, type CollectorDefinition, type Desc } from '../collector.js';
import { parsePressure, type Pressure } from '../procfs/pressure.js';
import { parseFileText, readProcFiles } from '../read/files.js';

const RESOURCES = ['cpu', 'io', 'memory', 'irq'] as const;
type Resource = (typeof RESOURCES)[number];

/** µs → s, divided twice as upstream does so the floats come out identical. */
const seconds = (us: number) => us / 1000 / 1000;

const some = (p: Required<Pressure>) => seconds(p.some.totalMicroseconds);
const full = (p: Required<Pressure>) => seconds(p.full.totalMicroseconds);

/** What each resource reports: cpu only "some" (its "full" is not exported), irq only "full". */
const FIELDS: Record<Resource, readonly [Desc, (p: Required<Pressure>) => number][]> = {
  cpu: [[newDesc('node_pressure_cpu_waiting_seconds_total', 'Time at least one task waited for a CPU, in seconds.', 'counter'), some]],
  io: [
    [newDesc('node_pressure_io_waiting_seconds_total', 'Time at least one task was stalled on IO, in seconds.', 'counter'), some],
    [newDesc('node_pressure_io_stalled_seconds_total', 'Time all non-idle tasks were stalled on IO at once, in seconds.', 'counter'), full],
  ],
  memory: [
    [newDesc('node_pressure_memory_waiting_seconds_total', 'Time at least one task was stalled on memory, in seconds.', 'counter'), some],
    [newDesc('node_pressure_memory_stalled_seconds_total', 'Time all non-idle tasks were stalled on memory at once, in seconds.', 'counter'), full],
  ],
  irq: [[newDesc('node_pressure_irq_stalled_seconds_total', 'Time all non-idle tasks were stalled by IRQ handling at once, in seconds.', 'counter'), full]],
};

/** Stands in for the one line a resource is allowed to lack (irq's "some", cpu's "full"); never emitted. */
const EMPTY = { totalMicroseconds: 0, avg10: 0, avg60: 0, avg300: 0 };

export const pressure: CollectorDefinition = {
  name: 'pressure',
  defaultEnabled: true,
  create({ paths, logger }) {
    const files = RESOURCES.map((res) => paths.procFilePath(`pressure/${res}`));
    return {
      async collect(_ctx, out) {
        // The four files in one batch of reads.
        const texts = await readProcFiles(files);
        let found = 0;
        // In resource order, so the outcome is upstream's whatever order the reads finish in.
        for (let i = 0; i < RESOURCES.length; i++) {
          const res = RESOURCES[i] as Resource;
          const text = texts[i];
          if (typeof text !== 'string') {
            const err = text as NodeJS.ErrnoException;
            // cpu/io/memory need Linux 4.20 and CONFIG_PSI, irq 6.1 and CONFIG_IRQ_TIME_ACCOUNTING.
            if (err.code === 'ENOENT') {
              if (logger.debugEnabled) logger.debug('pressure information is unavailable', { resource: res });
              continue;
            }
            // Built with PSI but booted with psi=0: reads fail with EOPNOTSUPP.
            if (err.code === 'ENOTSUP' || err.code === 'EOPNOTSUPP') throw new NoDataError('pressure information is disabled (boot with psi=1)');
            throw err;
          }
          const parsed = parseFileText(files[i] as string, text, parsePressure);
          // irq has no "some" line and cpu's "full" is not reported; anything else missing is no data.
          if (parsed.some === undefined && res !== 'irq') throw new NoDataError(`pressure/${res} has no "some" line`);
          if (parsed.full === undefined && res !== 'cpu') throw new NoDataError(`pressure/${res} has no "full" line`);
          const p = { some: parsed.some ?? EMPTY, full: parsed.full ?? EMPTY };
          const fields = FIELDS[res];
          for (let k = 0; k < fields.length; k++) {
            const [desc, value] = fields[k] as (typeof fields)[number];
            out.add(desc, value(p));
          }
          found++;
        }
        if (found === 0) throw new NoDataError('no pressure information (needs Linux 4.20+ with CONFIG_PSI)');
      },
    };
  },
};
