import { readdir } from '../read/dir.js';
import path from 'node:path';
import { newDesc, type CollectorDefinition } from '../collector.js';
import { ParseError } from '../procfs/parse-error.js';
import { ifMissing, readProcFiles } from '../read/files.js';
import { parseCoolingDevice, parseThermalZone } from '../sysfs/thermal.js';
import { errnoIn } from '../errno.js';

/** A cooling device whose files cannot be read this way is skipped, as procfs does. */
const SKIPPED_COOLING = new Set(['ENOENT', 'EACCES', 'EPERM', 'EOPNOTSUPP', 'EINVAL']);

const zoneTemp = newDesc('node_thermal_zone_temp', 'Temperature of the thermal zone, in degrees Celsius.', 'gauge', ['zone', 'type']);
const coolingCur = newDesc('node_cooling_device_cur_state', 'Current throttle state of the cooling device.', 'gauge', ['name', 'type']);
const coolingMax = newDesc('node_cooling_device_max_state', 'Highest throttle state of the cooling device.', 'gauge', ['name', 'type']);

export const thermalZone: CollectorDefinition = {
  name: 'thermal_zone',
  defaultEnabled: true,
  create({ paths }) {
    const base = paths.sysFilePath('class/thermal');
    return {
      async collect(_ctx, out) {
        const entries = (await readdir(base).catch(ifMissing<string[]>([]))).sort();
        const zones = entries.filter((e) => /^thermal_zone\d/.test(e));
        const coolers = entries.filter((e) => /^cooling_device\d/.test(e));
        const zoneTexts = await readProcFiles(zones.flatMap((z) => ['type', 'temp'].map((f) => path.join(base, z, f))));
        const text = (r: string | Error | undefined) => (typeof r === 'string' ? r : undefined);
        zones.forEach((z, i) => {
          const zone = parseThermalZone(text(zoneTexts[2 * i]), text(zoneTexts[2 * i + 1]));
          out.add(zoneTemp, zone.temp / 1000.0, z.slice('thermal_zone'.length), zone.type);
        });

        const coolTexts = await readProcFiles(coolers.flatMap((c) => ['type', 'max_state', 'cur_state'].map((f) => path.join(base, c, f))));
        coolers.forEach((c, i) => {
          const [type, maxState, curState] = coolTexts.slice(3 * i, 3 * i + 3);
          const err = [type, maxState, curState].find((t) => typeof t !== 'string');
          if (err !== undefined) {
            if (err instanceof Error && errnoIn(err, SKIPPED_COOLING)) return;
            throw err ?? new Error(`read ${c}: no result`);
          }
          let d;
          try {
            d = parseCoolingDevice(type as string, maxState as string, curState as string);
          } catch (e) {
            throw e instanceof ParseError ? e.withFile(path.join(base, c)) : e;
          }
          const name = c.slice('cooling_device'.length);
          out.add(coolingCur, d.curState, name, d.type);
          out.add(coolingMax, d.maxState, name, d.type);
        });
      },
    };
  },
};
