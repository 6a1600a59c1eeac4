import path from 'node:path';
import { family, NoDataError, type CollectorDefinition, type MetricFamily, type Sample } from '../collector.js';
import { ParseError } from '../procfs/parse-error.js';
import { readClassAttributes } from './sysfs-class.js';
import { parseWatchdog, WATCHDOG_FILES, WATCHDOG_NUMBERS } from '../sysfs/watchdog.js';
import { hasErrno } from '../procfs/read.js';

/** Metric per numeric attribute: [attribute, metric suffix, help]. */
const NUMERIC: readonly (readonly [(typeof WATCHDOG_NUMBERS)[number], string, string])[] = [
  ['bootstatus', 'bootstatus', 'Boot status flags of the watchdog (why the system last rebooted).'],
  ['fw_version', 'fw_version', 'Firmware version of the watchdog.'],
  ['nowayout', 'nowayout', 'Whether the watchdog, once started, cannot be stopped (1) or can (0).'],
  ['timeleft', 'timeleft_seconds', 'Time left before the watchdog resets the system, in seconds.'],
  ['timeout', 'timeout_seconds', 'Watchdog timeout, in seconds.'],
  ['pretimeout', 'pretimeout_seconds', 'Watchdog pretimeout, in seconds.'],
  ['access_cs0', 'access_cs0', 'Whether /dev/watchdog0 (chardev 0) has been opened (1) or not (0).'],
];

/** Errors that upstream treats as "no watchdog here" rather than a failure (EINVAL is not one: Go maps it to no os error). */
const NO_DATA_CODES = new Set(['ENOENT', 'EACCES', 'EPERM']);

export const watchdog: CollectorDefinition = {
  name: 'watchdog',
  defaultEnabled: true,
  create({ paths }) {
    const base = paths.sysFilePath('class/watchdog');
    return {
      async collect(): Promise<MetricFamily[]> {
        const devices = await readClassAttributes(base, WATCHDOG_FILES).catch((err: unknown) => {
          if (hasErrno(err, ...NO_DATA_CODES)) throw new NoDataError(`watchdog class not readable: ${String(err)}`);
          throw err;
        });
        const numeric = NUMERIC.map(() => [] as Sample[]);
        const info: Sample[] = [];
        for (const [name, files] of devices) {
          let wd;
          try {
            wd = parseWatchdog(name, files);
          } catch (err) {
            throw err instanceof ParseError ? err.withFile(path.join(base, name)) : err;
          }
          NUMERIC.forEach(([attr], i) => {
            const v = wd.numbers[attr];
            if (v !== undefined) numeric[i]?.push({ labels: { name }, value: v });
          });
          const s = wd.strings;
          info.push({
            labels: { name, options: s.options ?? '', identity: s.identity ?? '', state: s.state ?? '', status: s.status ?? '', pretimeout_governor: s.pretimeout_governor ?? '' },
            value: 1,
          });
        }
        return [
          ...NUMERIC.map(([, suffix, help], i) => family(`node_watchdog_${suffix}`, help, 'gauge', numeric[i])),
          family('node_watchdog_info', 'Watchdog identity, options, state and status; value is always 1.', 'gauge', info),
        ];
      },
    };
  },
};
