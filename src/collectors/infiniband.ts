import { readdir, stat } from '../read/dir.js';
import path from 'node:path';
import { type CollectorDefinition, type Desc, newDesc, type Sink } from '../collector.js';
import { independentFilter } from '../device-filter.js';
import { ParseError } from '../procfs/parse-error.js';
import { readProcFile, readProcFiles, withFileName } from '../read/files.js';
import { listOrNoData } from '../read/sysfs-class.js';
import { IB_COUNTERS, parseIbCounter, parseIbRate, parseIbState } from '../sysfs/infiniband.js';
import { errnoIn, hasErrno } from '../errno.js';

const FLAGS = { include: 'collector.infiniband.device-include', exclude: 'collector.infiniband.device-exclude' } as const;
/** Counter files some drivers expose but cannot read; procfs skips them (EINVAL only under counters/). */
const SKIPPED_READ_ERRORS = new Set(['ENOENT', 'EACCES', 'EPERM', 'EOPNOTSUPP']);
const skipped = (err: Error, dirName: string): boolean => errnoIn(err, SKIPPED_READ_ERRORS) || (dirName === 'counters' && hasErrno(err, 'EINVAL'));

const PORT = ['device', 'port'];
const info = newDesc('node_infiniband_info', 'InfiniBand device identity (board, firmware, HCA type); value is always 1.', 'gauge', [
  'device',
  'board_id',
  'firmware_version',
  'hca_type',
]);
const stateId = newDesc('node_infiniband_state_id', 'State of the port (1: down, 2: init, 3: armed, 4: active, 5: active defer).', 'gauge', PORT);
const physicalStateId = newDesc(
  'node_infiniband_physical_state_id',
  'Physical state of the port (1: sleep, 2: polling, 3: disabled, 4: training, 5: link up, 6: error recovery, 7: phy test).',
  'gauge',
  PORT,
);
const rateBytes = newDesc('node_infiniband_rate_bytes_per_second', 'Signalling rate of the port, in bytes per second.', 'gauge', PORT);
const lifespanSeconds = newDesc('node_infiniband_lifespan_seconds', 'Period within which two counter reads may return the same values, in seconds.', 'gauge', PORT);

type CounterDir = keyof typeof IB_COUNTERS;
const COUNTER_DIRS: readonly CounterDir[] = ['counters', 'counters_ext', 'hw_counters'];
/** Per counters directory: [file, Desc, whether the file counts 4-byte words]; help made from the name. */
const COUNTERS = new Map(
  COUNTER_DIRS.map((dir) => [
    dir,
    Object.entries(IB_COUNTERS[dir]).map(([file, spec]): [string, Desc, boolean] => [
      file,
      newDesc(`node_infiniband_${spec.metric}`, `InfiniBand port ${spec.metric.replaceAll('_', ' ')}.`, 'counter', PORT),
      spec.words === true,
    ]),
  ]),
);

/**
 * The known counters among the regular files of one counters directory, read in one batch:
 * file name → value (undefined: N/A). Other files are not read, so their content never matters.
 */
async function readCounterDir(dir: string, known: ReadonlySet<string>, mustExist: boolean): Promise<Map<string, number | undefined>> {
  const out = new Map<string, number | undefined>();
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (!mustExist && hasErrno(err, 'ENOENT')) return out;
    throw err;
  }
  const files = entries
    .filter((e) => e.isFile() && known.has(e.name))
    .map((e) => e.name)
    .sort();
  const texts = await readProcFiles(files.map((f) => path.join(dir, f)));
  files.forEach((f, i) => {
    const t = texts[i];
    if (t instanceof Error) {
      if (skipped(t, path.basename(dir))) return;
      throw t;
    }
    if (t !== undefined)
      out.set(
        f,
        withFileName(path.join(dir, f), () => parseIbCounter(t)),
      );
  });
  return out;
}

const isDir = (p: string): Promise<boolean> =>
  stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );

async function collectPort(device: string, portDir: string, port: string, out: Sink): Promise<void> {
  if (!/^\d+$/.test(port) || Number(port) > 0xffffffff) throw new ParseError(`invalid port directory ${JSON.stringify(port)}`).withFile(portDir);
  const [, state, phys, rate] = await Promise.all(['link_layer', 'state', 'phys_state', 'rate'].map((f) => readProcFile(path.join(portDir, f))));
  const portNumber = String(Number(port));
  out.add(
    stateId,
    withFileName(path.join(portDir, 'state'), () => parseIbState(state ?? '').id),
    device,
    portNumber,
  );
  out.add(
    physicalStateId,
    withFileName(path.join(portDir, 'phys_state'), () => parseIbState(phys ?? '').id),
    device,
    portNumber,
  );
  out.add(
    rateBytes,
    withFileName(path.join(portDir, 'rate'), () => parseIbRate(rate ?? '')),
    device,
    portNumber,
  );
  // counters_ext is read only when counters exists, as in procfs.
  const hasCounters = await isDir(path.join(portDir, 'counters'));
  const hasHw = await isDir(path.join(portDir, 'hw_counters'));
  for (const dirName of COUNTER_DIRS) {
    if (dirName === 'hw_counters' ? !hasHw : !hasCounters) continue;
    const known = new Set([...Object.keys(IB_COUNTERS[dirName]), ...(dirName === 'hw_counters' ? ['lifespan'] : [])]);
    const values = await readCounterDir(path.join(portDir, dirName), known, dirName !== 'counters_ext');
    for (const [file, desc, words] of COUNTERS.get(dirName) ?? []) {
      const v = values.get(file);
      if (v !== undefined) out.add(desc, words ? v * 4 : v, device, portNumber);
    }
    const lifespan = dirName === 'hw_counters' ? values.get('lifespan') : undefined;
    if (lifespan !== undefined) out.add(lifespanSeconds, Math.floor(lifespan / 1000), device, portNumber);
  }
}

async function collectDevice(base: string, device: string, out: Sink): Promise<void> {
  const dir = path.join(base, device);
  const fw = (await readProcFile(path.join(dir, 'fw_ver'))).trim();
  const [board, hca] = await Promise.all(
    ['board_id', 'hca_type'].map((f) =>
      readProcFile(path.join(dir, f)).then(
        (t) => t.trim(),
        (err: unknown) => {
          if (hasErrno(err, 'ENOENT')) return '';
          throw err;
        },
      ),
    ),
  );
  out.add(info, 1, device, board ?? '', fw, hca ?? '');
  const portsDir = path.join(dir, 'ports');
  const ports = (await readdir(portsDir)).sort();
  await Promise.all(ports.map((p) => collectPort(device, path.join(portsDir, p), p, out)));
}

export const infiniband: CollectorDefinition = {
  name: 'infiniband',
  defaultEnabled: true,
  options: [
    { flag: FLAGS.include, help: 'Regexp of InfiniBand devices to include.' },
    { flag: FLAGS.exclude, help: 'Regexp of InfiniBand devices to exclude.' },
  ],
  create({ paths, options }) {
    const base = paths.sysFilePath('class/infiniband');
    const filter = independentFilter(options, FLAGS.exclude, FLAGS.include);
    return {
      async collect(_ctx, out) {
        const devices = await listOrNoData(base);
        // Excluded devices are not read at all (procfs would read, and could fail on, them first).
        await Promise.all(devices.map((d) => (filter.ignored(d) ? Promise.resolve() : collectDevice(base, d, out))));
      },
    };
  },
};
