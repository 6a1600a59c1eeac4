import path from 'node:path';
import { type CollectorDefinition, type Desc, newDesc, NoDataError } from '../collector.js';
import { ParseError } from '../procfs/parse-error.js';
import { readClassAttributes } from '../read/sysfs-class.js';
import { parseWatchdog, WATCHDOG_FILES, type WATCHDOG_NUMBERS } from '../sysfs/watchdog.js';
import { errnoIn } from '../errno.js';

const perDevice = (suffix: string, help: string): Desc => newDesc(`node_watchdog_${suffix}`, help, 'gauge', ['name']);
/** Metric per numeric attribute. */
const NUMERIC: readonly (readonly [(typeof WATCHDOG_NUMBERS)[number], Desc])[] = [
  ['bootstatus', perDevice('bootstatus', 'Boot status flags of the watchdog (why the system last rebooted).')],
  ['fw_version', perDevice('fw_version', 'Firmware version of the watchdog.')],
  ['nowayout', perDevice('nowayout', 'Whether the watchdog, once started, cannot be stopped (1) or can (0).')],
  ['timeleft', perDevice('timeleft_seconds', 'Time left before the watchdog resets the system, in seconds.')],
  ['timeout', perDevice('timeout_seconds', 'Watchdog timeout, in seconds.')],
  ['pretimeout', perDevice('pretimeout_seconds', 'Watchdog pretimeout, in seconds.')],
  ['access_cs0', perDevice('access_cs0', 'Whether /dev/watchdog0 (chardev 0) has been opened (1) or not (0).')],
];
const info = newDesc('node_watchdog_info', 'Watchdog identity, options, state and status; value is always 1.', 'gauge', [
  'name',
  'options',
  'identity',
  'state',
  'status',
  'pretimeout_governor',
]);

/** Errors that upstream treats as "no watchdog here" rather than a failure (EINVAL is not one: Go maps it to no os error). */
const NO_DATA_CODES = new Set(['ENOENT', 'EACCES', 'EPERM']);

export const watchdog: CollectorDefinition = {
  name: 'watchdog',
  defaultEnabled: true,
  create({ paths }) {
    const base = paths.sysFilePath('class/watchdog');
    return {
      async collect(_ctx, out) {
        const devices = await readClassAttributes(base, WATCHDOG_FILES).catch((err: unknown) => {
          if (errnoIn(err, NO_DATA_CODES)) throw new NoDataError(`watchdog class not readable: ${String(err)}`);
          throw err;
        });
        for (const [name, files] of devices) {
          let wd;
          try {
            wd = parseWatchdog(name, files);
          } catch (err) {
            throw err instanceof ParseError ? err.withFile(path.join(base, name)) : err;
          }
          for (const [attr, desc] of NUMERIC) {
            const v = wd.numbers[attr];
            if (v !== undefined) out.add(desc, v, name);
          }
          const s = wd.strings;
          out.addv(info, 1, [name, s.options ?? '', s.identity ?? '', s.state ?? '', s.status ?? '', s.pretimeout_governor ?? '']);
        }
      },
    };
  },
};
