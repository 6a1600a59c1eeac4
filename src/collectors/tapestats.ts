import { readdir } from '../procfs/dir.js';
import { hasErrno, readAttributes } from '../procfs/read.js';
import { family, NoDataError, type CollectorDefinition, type MetricFamily, type MetricType } from '../collector.js';
import { compileRegexp } from '../config.js';
import { ParseError } from '../procfs/parse-error.js';
import { isTapeDevice, parseTapeStats, TAPE_STAT_FILES, type TapeStat } from '../sysfs/scsi-tape.js';

const FLAG = 'collector.tapestats.ignored-devices';
const NS = 1e-9;

/** Metrics in upstream's order: suffix, stats file, type, scale, help. */
const METRICS: [string, TapeStat, MetricType, number, string][] = [
  ['io_now', 'in_flight', 'gauge', 1, 'I/Os outstanding to the tape drive.'],
  ['io_time_seconds_total', 'io_ns', 'counter', NS, 'Seconds spent waiting for I/O of any kind, tape movement included.'],
  ['io_others_total', 'other_cnt', 'counter', 1, 'Commands other than reads and writes issued to the tape drive.'],
  ['read_bytes_total', 'read_byte_cnt', 'counter', 1, 'Bytes read from the tape drive.'],
  ['reads_completed_total', 'read_cnt', 'counter', 1, 'Read requests issued to the tape drive.'],
  ['read_time_seconds_total', 'read_ns', 'counter', NS, 'Seconds spent waiting for reads.'],
  ['residual_total', 'resid_cnt', 'counter', 1, 'Reads or writes that left a non-zero residual count.'],
  ['written_bytes_total', 'write_byte_cnt', 'counter', 1, 'Bytes written to the tape drive.'],
  ['writes_completed_total', 'write_cnt', 'counter', 1, 'Write requests issued to the tape drive.'],
  ['write_time_seconds_total', 'write_ns', 'counter', NS, 'Seconds spent waiting for writes.'],
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
      async collect(): Promise<MetricFamily[]> {
        let tapes: { name: string; stats: Map<TapeStat, number> }[];
        try {
          const names = (await readdir(base)).filter(isTapeDevice).sort();
          tapes = await Promise.all(names.map(async (name) => {
            const dir = `${base}/${name}/stats`;
            // Like upstream, only the counter files the stats directory lists are read.
            const present = new Set(await readdir(dir));
            const files = await readAttributes(dir, TAPE_STAT_FILES.filter((f) => present.has(f)));
            try {
              return { name, stats: parseTapeStats(files) };
            } catch (err) {
              throw err instanceof ParseError ? err.withFile(`${dir}/${err.file ?? ''}`) : err;
            }
          }));
        } catch (err) {
          if (hasErrno(err, 'ENOENT')) throw new NoDataError(`no SCSI tape statistics: ${String(err)}`);
          throw err;
        }
        const families = METRICS.map(([suffix, , type, , help]) => family(`node_tape_${suffix}`, help, type));
        for (const tape of tapes) {
          if (ignored.test(tape.name)) continue;
          METRICS.forEach(([, file, , scale], i) => {
            families[i]?.samples.push({ labels: { device: tape.name }, value: (tape.stats.get(file) ?? 0) * scale });
          });
        }
        return families;
      },
    };
  },
};
