import { readdir } from '../read/dir.js';
import { newDesc, type CollectorDefinition } from '../collector.js';
import { ifMissing, parseFileText, readProcFiles } from '../read/files.js';
import { readLocalZone } from '../read/self.js';
import { tzifZone, type ZoneAt } from '../etc/tzif.js';
import { parseAvailableClocksources, parseCurrentClocksource } from '../sysfs/clocksource.js';

const timeDesc = newDesc('node_time_seconds', 'System time in seconds since the Unix epoch.', 'gauge');
const zoneOffsetDesc = newDesc('node_time_zone_offset_seconds', 'Offset of the local time zone from UTC, in seconds.', 'gauge', ['time_zone']);
const availableDesc = newDesc('node_time_clocksource_available_info', 'Clocksources the kernel offers, from /sys/devices/system/clocksource.', 'gauge', ['clocksource', 'device']);
const currentDesc = newDesc('node_time_clocksource_current_info', 'The clocksource the kernel is using, from /sys/devices/system/clocksource.', 'gauge', ['clocksource', 'device']);

/**
 * The local zone's offset (seconds east of UTC) and name at `seconds` since the epoch, as Go's
 * time.Now().Zone() gives them ("UTC", "CET", "CEST"): from the same TZif file Go reads
 * (readLocalZone), not from the JavaScript clock (V8 asks ICU, whose own time zone database may
 * differ from the host's, and keeps its data resident). No zone file is UTC.
 */
export async function localZone(seconds: number): Promise<ZoneAt> {
  const zone = await readLocalZone();
  return zone === undefined ? { utoff: 0, name: 'UTC' } : tzifZone(zone, seconds);
}

export const time: CollectorDefinition = {
  name: 'time',
  defaultEnabled: true,
  create({ paths }) {
    const clocksource = (name = '') => paths.sysFilePath(`devices/system/clocksource/${name}`);
    return {
      async collect(_ctx, out) {
        const now = Date.now() / 1000;
        out.add(timeDesc, now);
        const zone = await localZone(Math.floor(now));
        out.add(zoneOffsetDesc, zone.utoff, zone.name);
        const devices = (await readdir(clocksource()).catch(ifMissing([]))).filter((d) => /^clocksource\d+$/.test(d));
        // node_exporter labels each by its position in the sorted directory list, not by N.
        devices.sort();
        if (devices.length === 0) return;
        // Both files of every clocksource in one trip to the addon, parsed in order.
        const files = devices.flatMap((dir) => [clocksource(`${dir}/available_clocksource`), clocksource(`${dir}/current_clocksource`)]);
        const texts = await readProcFiles(files);
        for (let i = 0; i < devices.length; i++) {
          const device = String(i);
          const available = texts[2 * i] as string | Error;
          if (typeof available !== 'string') throw available;
          for (const cs of parseFileText(files[2 * i] as string, available, parseAvailableClocksources)) out.add(availableDesc, 1, cs, device);
          const current = texts[2 * i + 1] as string | Error;
          if (typeof current !== 'string') throw current;
          out.add(currentDesc, 1, parseFileText(files[2 * i + 1] as string, current, parseCurrentClocksource), device);
        }
      },
    };
  },
};
