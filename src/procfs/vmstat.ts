import { eachNameValue, type NameRounds, parseNameValueLines } from './name-value.js';
import { parseFloatField } from './parse-error.js';

/** /proc/vmstat: counter name as the kernel spells it → value, in file order. */
export type Vmstat = Map<string, number>;

/** One "name value" pair per line; values parsed as floats, as upstream's ParseFloat. */
export function parseVmstat(text: string): Vmstat {
  return parseNameValueLines(text, 'vmstat', parseFloatField);
}

/** parseVmstat's pairs one at a time, in file order, with no map (see eachNameValue). */
export function eachVmstat(text: string, names: NameRounds, visit: (name: string, value: number) => void): void {
  eachNameValue(text, 'vmstat', parseFloatField, names, visit);
}
