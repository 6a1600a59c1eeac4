import { parseGoFloat } from './go-number.js';
import { ParseError } from './parse-error.js';

/**
 * /proc/drbd (DRBD 8): after the version header, each resource starts with "N:" and goes on
 * with whitespace-separated "key:value" words (cs:Connected ro:Primary/Secondary ns:123 ...).
 * Like node_exporter we read it word by word; words that are not key:value are skipped.
 */

/** Keys whose value is a number (sizes in KiB where the kernel counts KiB). */
export const DRBD_NUMERIC_KEYS = ['ns', 'nr', 'dw', 'dr', 'al', 'bm', 'lo', 'pe', 'ua', 'ap', 'ep', 'oos'] as const;
export type DrbdNumericKey = (typeof DRBD_NUMERIC_KEYS)[number];

export interface DrbdDevice {
  /** "drbd<N>"; "unknown" for values before the first "N:" word, as upstream names them. */
  name: string;
  numbers: Map<DrbdNumericKey, number>;
  /** ro: local and peer role. */
  roles?: [local: string, remote: string];
  /** ds: local and peer disk state. */
  diskStates?: [local: string, remote: string];
  /** cs: connection state. */
  connectionState?: string;
}

const NUMERIC = new Set<string>(DRBD_NUMERIC_KEYS);

export function parseDrbd(text: string): DrbdDevice[] {
  const devices: DrbdDevice[] = [];
  let current: DrbdDevice | undefined;
  const device = (): DrbdDevice => {
    if (current === undefined) devices.push((current = { name: 'unknown', numbers: new Map() }));
    return current;
  };
  text.split('\n').forEach((line, i) => {
    for (const word of line.split(/\s+/).filter((w) => w !== '')) {
      const kv = word.split(':');
      if (kv.length !== 2) continue;
      const [key = '', value = ''] = kv;
      if (/^\d+$/.test(key) && value === '') {
        devices.push((current = { name: `drbd${BigInt(key)}`, numbers: new Map() }));
        continue;
      }
      if (NUMERIC.has(key)) {
        const n = parseGoFloat(value);
        if (n === undefined) throw new ParseError(`invalid ${key} value ${JSON.stringify(value)}`, line, i + 1);
        device().numbers.set(key as DrbdNumericKey, n);
      } else if (key === 'ro' || key === 'ds') {
        const parts = value.split('/');
        if (parts.length < 2) throw new ParseError(`${key} value ${JSON.stringify(value)} is not local/remote`, line, i + 1);
        const pair: [string, string] = [parts[0] ?? '', parts[1] ?? ''];
        if (key === 'ro') device().roles = pair;
        else device().diskStates = pair;
      } else if (key === 'cs') {
        device().connectionState = value;
      }
    }
  });
  return devices;
}
