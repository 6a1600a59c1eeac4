import { parseNameValueLines } from '../procfs/name-value.js';
import { parseUint } from '../procfs/parse-error.js';

/** /sys/devices/system/node/nodeN/numastat: allocation counter name → pages, in file order. */
export type Numastat = Map<string, number>;

/** "numa_hit 326720946761": one unsigned counter per line. */
export function parseNumastat(text: string): Numastat {
  return parseNameValueLines(text, 'numastat', parseUint);
}
