import { parseNameValueLines } from './name-value.js';
import { parseFloatField } from './parse-error.js';

/** /proc/vmstat: counter name as the kernel spells it → value, in file order. */
export type Vmstat = Map<string, number>;

/** One "name value" pair per line; values parsed as floats, as upstream's ParseFloat. */
export function parseVmstat(text: string): Vmstat {
  return parseNameValueLines(text, 'vmstat', parseFloatField);
}
