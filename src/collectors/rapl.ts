import { readdir } from '../read/dir.js';
import path from 'node:path';
import { booleanOption, type CollectorDefinition, DescTable, newDesc, NoDataError } from '../collector.js';
import { readAndParse, readProcFiles } from '../read/files.js';
import { parseUintValue } from '../procfs/value-file.js';
import { sanitizeMetricName } from '../metric-name.js';
import { raplZoneIndexAndName } from '../sysfs/powercap.js';
import { hasErrno } from '../errno.js';

const ZONE_LABEL_FLAG = 'collector.rapl.enable-zone-label';
const denied = (err: unknown): boolean => hasErrno(err, 'EACCES', 'EPERM');

const joulesTotal = newDesc('node_rapl_joules_total', 'Energy counter of the RAPL zone, in joules.', 'counter', ['index', 'path', 'rapl_zone']);
const ZONE_FAMILY_LABELS = ['index', 'path'];

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
    // Without the zone label, one family per zone name: names known only at run time.
    const descs = new DescTable();
    return {
      async collect(_ctx, out) {
        descs.nextRound();
        let zones: Zone[];
        try {
          zones = await raplZones(base);
        } catch (err) {
          if (hasErrno(err, 'ENOENT') || denied(err)) throw new NoDataError(`powercap not readable: ${String(err)}`);
          throw err;
        }
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
          if (zoneLabel) out.add(joulesTotal, joules, index, z.dir, z.name);
          else
            out.add(
              descs.get(`node_rapl_${sanitizeMetricName(z.name)}_joules_total`, `Energy counter of the RAPL ${z.name} zone, in joules.`, 'counter', ZONE_FAMILY_LABELS),
              joules,
              index,
              z.dir,
            );
        }
      },
    };
  },
};
