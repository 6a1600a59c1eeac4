import { parseGoInt } from '../procfs/go-number.js';
import { ParseError } from '../procfs/parse-error.js';

/** Attribute files of a /sys/class/watchdog/<name> device (all optional). */
export const WATCHDOG_FILES = [
  'bootstatus',
  'options',
  'fw_version',
  'identity',
  'nowayout',
  'state',
  'status',
  'timeleft',
  'timeout',
  'pretimeout',
  'pretimeout_governor',
  'access_cs0',
] as const;
export type WatchdogFile = (typeof WATCHDOG_FILES)[number];

export const WATCHDOG_NUMBERS = ['bootstatus', 'fw_version', 'nowayout', 'timeleft', 'timeout', 'pretimeout', 'access_cs0'] as const;
export const WATCHDOG_STRINGS = ['options', 'identity', 'state', 'status', 'pretimeout_governor'] as const;

export interface Watchdog {
  name: string;
  numbers: Partial<Record<(typeof WATCHDOG_NUMBERS)[number], number>>;
  strings: Partial<Record<(typeof WATCHDOG_STRINGS)[number], string>>;
}

/**
 * One watchdog from its attribute texts (absent files missing from the map). Numbers are
 * integers in any base Go's ParseInt(s, 0, 64) takes (bootstatus and options print as 0x…).
 */
export function parseWatchdog(name: string, files: ReadonlyMap<WatchdogFile, string>): Watchdog {
  const wd: Watchdog = { name, numbers: {}, strings: {} };
  for (const f of WATCHDOG_NUMBERS) {
    const t = files.get(f)?.trim();
    if (t === undefined) continue;
    const v = parseGoInt(t);
    if (v === undefined) throw new ParseError(`invalid ${f} ${JSON.stringify(t)}`, t, 1);
    wd.numbers[f] = v;
  }
  for (const f of WATCHDOG_STRINGS) {
    const t = files.get(f)?.trim();
    if (t !== undefined) wd.strings[f] = t;
  }
  return wd;
}
