import { readdir, realpath, stat } from '../read/dir.js';
import path from 'node:path';
import { type CollectorDefinition, DescTable, newDesc, type Sink } from '../collector.js';
import { independentFilter, type DeviceFilter } from '../device-filter.js';
import type { Logger } from '../logger.js';
import { readProcFile, readProcFiles } from '../read/files.js';
import { listOrNoData } from '../read/sysfs-class.js';
import { cleanMetricName, explodeSensorFilename, groupSensorFiles, HWMON_SENSOR_TYPES, hwmonSensorReadings, hwmonValueText } from '../sysfs/hwmon.js';

const FLAGS = {
  chipInclude: 'collector.hwmon.chip-include',
  chipExclude: 'collector.hwmon.chip-exclude',
  sensorInclude: 'collector.hwmon.sensor-include',
  sensorExclude: 'collector.hwmon.sensor-exclude',
} as const;

const chipNames = newDesc('node_hwmon_chip_names', 'Human-readable name of each chip (from its name file).', 'gauge', ['chip', 'chip_name']);
const SENSOR_LABELS = ['chip', 'sensor'];
const SENSOR_LABEL_LABELS = ['chip', 'sensor', 'label'];

const isDir = async (p: string): Promise<boolean> => {
  try {
    return (await stat(p)).isDirectory(); // follows the class/hwmon symlink, as upstream does
  } catch {
    return false;
  }
};

const readName = (dir: string): Promise<string | undefined> => readProcFile(path.join(dir, 'name')).catch(() => undefined);

/**
 * A stable chip name: <bus type>_<device> from the device symlink's target (hwmonN numbering
 * follows module load order), else the name file, else hwmonN itself.
 */
async function baseChipName(dir: string, nameFile: string | undefined): Promise<string | undefined> {
  try {
    const device = await realpath(path.join(dir, 'device'));
    const devName = cleanMetricName(path.basename(device));
    const devType = cleanMetricName(path.basename(path.dirname(device)));
    if (devType !== '' && devName !== '') return `${devType}_${devName}`;
    if (devName !== '') return devName;
  } catch {
    // no device link: fall through
  }
  if (nameFile !== undefined && nameFile !== '') {
    const clean = cleanMetricName(nameFile);
    if (clean !== '') return clean;
  }
  try {
    const clean = cleanMetricName(path.basename(await realpath(dir)));
    return clean === '' ? undefined : clean;
  } catch {
    return undefined;
  }
}

/** The sensor attributes of the chip directory (and its device directory), read in one batch. */
async function readSensorFiles(dir: string): Promise<[string, string][]> {
  const names = await readdir(dir);
  const device = path.join(dir, 'device');
  const deviceNames = (await isDir(device)) ? await readdir(device) : [];
  // Only sensor attributes are read: a device directory also holds files like a PCI config space.
  const sensor = (n: string) => HWMON_SENSOR_TYPES.has(explodeSensorFilename(n)?.type ?? '');
  const files = [...names.filter(sensor).map((n) => [n, path.join(dir, n)] as const), ...deviceNames.filter(sensor).map((n) => [n, path.join(device, n)] as const)];
  // Drivers behind slow buses (I2C, SMBus, EC) can take long per read: the batch gets a
  // thread of its own (mayHang) so it never queues the /proc reads of other collectors.
  const texts = await readProcFiles(
    files.map(([, p]) => p),
    4096,
    true,
  );
  const out: [string, string][] = [];
  files.forEach(([name], i) => {
    const t = texts[i];
    // Unreadable attributes (directories, EAGAIN from broken drivers) are skipped, as upstream does.
    if (typeof t === 'string') out.push([name, hwmonValueText(t)]);
  });
  return out;
}

interface Chip {
  dir: string;
  base: string;
  nameFile: string | undefined;
}

async function collectChip(chip: Chip, chipName: string, sensorFilter: DeviceFilter, logger: Logger, descs: DescTable, out: Sink): Promise<void> {
  const sensors = groupSensorFiles(await readSensorFiles(chip.dir));
  const human = chip.nameFile === undefined ? '' : cleanMetricName(chip.nameFile);
  if (human !== '') out.add(chipNames, 1, chipName, human);
  for (const [sensor, data] of sensors) {
    // Sensor filters match "<chip>;<sensor>", so one sensor of one chip can be singled out.
    if (sensorFilter.ignored(`${chipName};${sensor}`)) {
      logger.debug('ignoring sensor', { sensor });
      continue;
    }
    for (const r of hwmonSensorReadings(sensor, data)) {
      // Names depend on the sensor type and attribute, as upstream's per-sample descriptors.
      if (r.label === undefined) out.add(descs.get(r.name, r.help, r.type, SENSOR_LABELS), r.value, chipName, r.sensor);
      else out.add(descs.get(r.name, r.help, r.type, SENSOR_LABEL_LABELS), r.value, chipName, r.sensor, r.label);
    }
  }
}

export const hwmon: CollectorDefinition = {
  name: 'hwmon',
  defaultEnabled: true,
  options: [
    { flag: FLAGS.chipInclude, help: 'Regexp of hwmon chips to include.' },
    { flag: FLAGS.chipExclude, help: 'Regexp of hwmon chips to exclude.' },
    { flag: FLAGS.sensorInclude, help: 'Regexp of "<chip>;<sensor>" to include.' },
    { flag: FLAGS.sensorExclude, help: 'Regexp of "<chip>;<sensor>" to exclude.' },
  ],
  create({ paths, options, logger }) {
    const base = paths.sysFilePath('class/hwmon');
    const chipFilter = independentFilter(options, FLAGS.chipExclude, FLAGS.chipInclude);
    const sensorFilter = independentFilter(options, FLAGS.sensorExclude, FLAGS.sensorInclude);
    const descs = new DescTable();
    return {
      async collect(_ctx, out) {
        descs.nextRound();
        const entries = await listOrNoData(base);
        const found = await Promise.all(
          entries.map(async (e): Promise<Chip | undefined> => {
            const dir = path.join(base, e);
            if (!(await isDir(dir))) return undefined; // dangling links and plain files are skipped
            const raw = await readName(dir);
            const chipBase = await baseChipName(dir, raw);
            if (chipBase === undefined) return undefined;
            return { dir, base: chipBase, nameFile: raw?.trim() };
          }),
        );
        const chips = found.filter((c): c is Chip => c !== undefined);
        // Several hwmon nodes may share one parent device: tell them apart by name file, else by hwmonN.
        const count = (key: (c: Chip) => string) => {
          const m = new Map<string, number>();
          for (const c of chips) m.set(key(c), (m.get(key(c)) ?? 0) + 1);
          return m;
        };
        const baseCounts = count((c) => c.base);
        const nameCounts = count((c) => `${c.base}\0${c.nameFile ?? ''}`);
        const errors: unknown[] = [];
        await Promise.all(
          chips.map(async (c) => {
            let chipName = c.base;
            if ((baseCounts.get(c.base) ?? 0) > 1) {
              let suffix = cleanMetricName(c.nameFile ?? '');
              if (suffix === '' || (nameCounts.get(`${c.base}\0${c.nameFile ?? ''}`) ?? 0) > 1) suffix = cleanMetricName(path.basename(c.dir));
              chipName = `${c.base}_${suffix}`;
            }
            if (chipFilter.ignored(chipName)) return;
            await collectChip(c, chipName, sensorFilter, logger, descs, out).catch((err: unknown) => errors.push(err));
          }),
        );
        // Like upstream: every chip is tried, then the collector fails if any chip failed.
        if (errors.length > 0) throw errors[errors.length - 1];
      },
    };
  },
};
