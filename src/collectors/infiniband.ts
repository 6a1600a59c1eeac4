import { readdir, stat } from '../procfs/dir.js';
import path from 'node:path';
import type { CollectorDefinition, MetricFamily } from '../collector.js';
import { ParseError } from '../procfs/parse-error.js';
import { hasErrno, readProcFile, readProcFiles, withFileName } from '../procfs/read.js';
import { FamilyMap, independentFilter, listOrNoData } from './sysfs-class.js';
import { IB_COUNTERS, parseIbCounter, parseIbRate, parseIbState } from '../sysfs/infiniband.js';

const FLAGS = { include: 'collector.infiniband.device-include', exclude: 'collector.infiniband.device-exclude' } as const;
const PREFIX = 'node_infiniband_';
/** Counter files some drivers expose but cannot read; procfs skips them (EINVAL only under counters/). */
const SKIPPED_READ_ERRORS = new Set(['ENOENT', 'EACCES', 'EPERM', 'EOPNOTSUPP']);
const skipped = (err: Error, dirName: string): boolean => hasErrno(err, ...SKIPPED_READ_ERRORS) || (dirName === 'counters' && hasErrno(err, 'EINVAL'));

/** Families of node_infiniband_*; counters get a help text made from their name. */
class Out {
  readonly map = new FamilyMap();
  add(name: string, type: 'gauge' | 'counter', labels: Record<string, string>, value: number, help = `InfiniBand port ${name.replaceAll('_', ' ')}.`): void {
    this.map.add(`${PREFIX}${name}`, help, type, labels, value);
  }
}


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
  const files = entries.filter((e) => e.isFile() && known.has(e.name)).map((e) => e.name).sort();
  const texts = await readProcFiles(files.map((f) => path.join(dir, f)));
  files.forEach((f, i) => {
    const t = texts[i];
    if (t instanceof Error) {
      if (skipped(t, path.basename(dir))) return;
      throw t;
    }
    if (t !== undefined) out.set(f, withFileName(path.join(dir, f), () => parseIbCounter(t)));
  });
  return out;
}

const isDir = (p: string): Promise<boolean> => stat(p).then((s) => s.isDirectory(), () => false);

async function collectPort(device: string, portDir: string, port: string, out: Out): Promise<void> {
  if (!/^\d+$/.test(port) || Number(port) > 0xffffffff) throw new ParseError(`invalid port directory ${JSON.stringify(port)}`).withFile(portDir);
  const [, state, phys, rate] = await Promise.all(['link_layer', 'state', 'phys_state', 'rate'].map((f) => readProcFile(path.join(portDir, f))));
  const labels = { device, port: String(Number(port)) };
  out.add('state_id', 'gauge', labels, withFileName(path.join(portDir, 'state'), () => parseIbState(state ?? '').id), 'State of the port (1: down, 2: init, 3: armed, 4: active, 5: active defer).');
  out.add('physical_state_id', 'gauge', labels, withFileName(path.join(portDir, 'phys_state'), () => parseIbState(phys ?? '').id), 'Physical state of the port (1: sleep, 2: polling, 3: disabled, 4: training, 5: link up, 6: error recovery, 7: phy test).');
  out.add('rate_bytes_per_second', 'gauge', labels, withFileName(path.join(portDir, 'rate'), () => parseIbRate(rate ?? '')), 'Signalling rate of the port, in bytes per second.');
  // counters_ext is read only when counters exists, as in procfs.
  const hasCounters = await isDir(path.join(portDir, 'counters'));
  const hasHw = await isDir(path.join(portDir, 'hw_counters'));
  for (const dirName of ['counters', 'counters_ext', 'hw_counters'] as const) {
    if (dirName === 'hw_counters' ? !hasHw : !hasCounters) continue;
    const known = new Set([...Object.keys(IB_COUNTERS[dirName]), ...(dirName === 'hw_counters' ? ['lifespan'] : [])]);
    const values = await readCounterDir(path.join(portDir, dirName), known, dirName !== 'counters_ext');
    for (const [file, spec] of Object.entries(IB_COUNTERS[dirName])) {
      const v = values.get(file);
      if (v !== undefined) out.add(spec.metric, 'counter', labels, spec.words ? v * 4 : v);
    }
    const lifespan = dirName === 'hw_counters' ? values.get('lifespan') : undefined;
    if (lifespan !== undefined) out.add('lifespan_seconds', 'gauge', labels, Math.floor(lifespan / 1000), 'Period within which two counter reads may return the same values, in seconds.');
  }
}

async function collectDevice(base: string, device: string, out: Out): Promise<void> {
  const dir = path.join(base, device);
  const fw = (await readProcFile(path.join(dir, 'fw_ver'))).trim();
  const [board, hca] = await Promise.all(
    ['board_id', 'hca_type'].map((f) => readProcFile(path.join(dir, f)).then((t) => t.trim(), (err: unknown) => {
      if (hasErrno(err, 'ENOENT')) return '';
      throw err;
    })),
  );
  out.add('info', 'gauge', { device, board_id: board ?? '', firmware_version: fw, hca_type: hca ?? '' }, 1, 'InfiniBand device identity (board, firmware, HCA type); value is always 1.');
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
      async collect(): Promise<MetricFamily[]> {
        const devices = await listOrNoData(base);
        const out = new Out();
        // Excluded devices are not read at all (procfs would read, and could fail on, them first).
        await Promise.all(devices.map((d) => (filter.ignored(d) ? Promise.resolve() : collectDevice(base, d, out))));
        return out.map.list();
      },
    };
  },
};
