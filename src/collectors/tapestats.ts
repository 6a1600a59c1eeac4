import { readdir } from '../read/dir.js';
import { readAttributes } from '../read/files.js';
import { type CollectorDefinition, type Desc, newDesc, NoDataError } from '../collector.js';
import { compileRegexp } from '../config.js';
import { ParseError } from '../procfs/parse-error.js';
import { isTapeDevice, parseTapeStats, TAPE_STAT_FILES, type TapeStat } from '../sysfs/scsi-tape.js';
import { hasErrno } from '../errno.js';

const FLAG = 'collector.tapestats.ignored-devices';
const NS = 1e-9;

const tapeDesc = (suffix: string, type: 'gauge' | 'counter', help: string): Desc => newDesc(`node_tape_${suffix}`, help, type, ['device']);
/** Metrics in upstream's order: Desc, stats file, scale. */
const METRICS: readonly (readonly [Desc, TapeStat, number])[] = [
  [tapeDesc('io_now', 'gauge', 'I/Os outstanding to the tape drive.'), 'in_flight', 1],
  [tapeDesc('io_time_seconds_total', 'counter', 'Seconds spent waiting for I/O of any kind, tape movement included.'), 'io_ns', NS],
  [tapeDesc('io_others_total', 'counter', 'Commands other than reads and writes issued to the tape drive.'), 'other_cnt', 1],
  [tapeDesc('read_bytes_total', 'counter', 'Bytes read from the tape drive.'), 'read_byte_cnt', 1],
  [tapeDesc('reads_completed_total', 'counter', 'Read requests issued to the tape drive.'), 'read_cnt', 1],
  [tapeDesc('read_time_seconds_total', 'counter', 'Seconds spent waiting for reads.'), 'read_ns', NS],
  [tapeDesc('residual_total', 'counter', 'Reads or writes that left a non-zero residual count.'), 'resid_cnt', 1],
  [tapeDesc('written_bytes_total', 'counter', 'Bytes written to the tape drive.'), 'write_byte_cnt', 1],
  [tapeDesc('writes_completed_total', 'counter', 'Write requests issued to the tape drive.'), 'write_cnt', 1],
  [tapeDesc('write_time_seconds_total', 'counter', 'Seconds spent waiting for writes.'), 'write_ns', NS],
];

/** SCSI tape drive statistics from <sysfs>/class/scsi_tape/st*\/stats. */
export const tapestats: CollectorDefinition = {
  name: 'tapestats',
  defaultEnabled: true,
  options: [{ flag: FLAG, help: 'Regexp of tape devices (st0, ...) the tapestats collector skips.', defaultValue: '^$' }],
  create({ paths, options }) {
    const pattern = options.get(FLAG);
    const ignored = compileRegexp(typeof pattern === 'string' ? pattern : '^$', FLAG);
    const base = paths.sysFilePath('class/scsi_tape');
    return {
      async collect(_ctx, out) {
        let tapes: { name: string; stats: Map<TapeStat, number> }[];
        try {
          const names = (await readdir(base)).filter(isTapeDevice).sort();
          tapes = await Promise.all(
            names.map(async (name) => {
              const dir = `${base}/${name}/stats`;
              // Like upstream, only the counter files the stats directory lists are read.
              const present = new Set(await readdir(dir));
              const files = await readAttributes(
                dir,
                TAPE_STAT_FILES.filter((f) => present.has(f)),
              );
              try {
                return { name, stats: parseTapeStats(files) };
              } catch (err) {
                throw err instanceof ParseError ? err.withFile(`${dir}/${err.file ?? ''}`) : err;
              }
            }),
          );
        } catch (err) {
          if (hasErrno(err, 'ENOENT')) throw new NoDataError(`no SCSI tape statistics: ${String(err)}`);
          throw err;
        }
        for (const tape of tapes) {
          if (ignored.test(tape.name)) continue;
          for (const [desc, file, scale] of METRICS) out.add(desc, (tape.stats.get(file) ?? 0) * scale, tape.name);
        }
      },
    };
  },
};
