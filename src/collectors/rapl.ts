import { readdir } from '../procfs/dir.js';
import path from 'node:path';
import { booleanOption, NoDataError, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { hasErrno, readAndParse, readProcFiles } from '../procfs/read.js';
import { parseUintValue } from '../procfs/value-file.js';
import { FamilyMap } from './sysfs-class.js';
import { raplZoneIndexAndName, sanitizeMetricName } from '../sysfs/powercap.js';

const ZONE_LABEL_FLAG = 'collector.rapl.enable-zone-label';
const denied = (err: unknown): boolean => hasErrno(err, 'EACCES', 'EPERM');

interface Zone {
  name: string;
  index: number;
  dir: string;
}

/** Zones are the powercap entries with a name file; each must have max_energy_range_uj. */
async function raplZones(base: string): Promise<Zone[]> {
  const entries = (await readdir(base)).sort();
  const names = await readProcFiles(entries.map((e) => path.join(base, e, 'name')));
  const seen = new Map<string, number>();
  const zones: Zone[] = [];
  for (const [i, e] of entries.entries()) {
    const raw = names[i];
    if (typeof raw !== 'string') continue;
    const { index, name } = raplZoneIndexAndName(seen, raw);
    const dir = path.join(base, e);
    await readAndParse(path.join(dir, 'max_energy_range_uj'), parseUintValue);
    zones.push({ name, index, dir });
  }
  return zones;
}

export const rapl: CollectorDefinition = {
  name: 'rapl',
  defaultEnabled: true,
  options: [{ flag: ZONE_LABEL_FLAG, help: 'Export one node_rapl_joules_total family with a rapl_zone label instead of one family per zone name.', boolean: true }],
  create({ paths, options }) {
    const base = paths.sysFilePath('class/powercap');
    const zoneLabel = booleanOption(options, ZONE_LABEL_FLAG, false);
    return {
      async collect(): Promise<MetricFamily[]> {
        let zones: Zone[];
        try {
          zones = await raplZones(base);
        } catch (err) {
          if (hasErrno(err, 'ENOENT') || denied(err)) throw new NoDataError(`powercap not readable: ${String(err)}`);
          throw err;
        }
        const families = new FamilyMap();
        for (const z of zones) {
          let uj: number;
          try {
            uj = await readAndParse(path.join(z.dir, 'energy_uj'), parseUintValue);
          } catch (err) {
            // energy_uj is root-only on current kernels.
            if (denied(err)) throw new NoDataError(`energy_uj not readable: ${String(err)}`);
            throw err;
          }
          const joules = uj / 1000000.0;
          const index = String(z.index);
          const [name, help, labels] = zoneLabel
            ? ['node_rapl_joules_total', 'Energy counter of the RAPL zone, in joules.', { index, path: z.dir, rapl_zone: z.name }]
            : [`node_rapl_${sanitizeMetricName(z.name)}_joules_total`, `Energy counter of the RAPL ${z.name} zone, in joules.`, { index, path: z.dir }];
          families.add(name, help, 'counter', labels, joules);
        }
        return families.list();
      },
    };
  },
};
