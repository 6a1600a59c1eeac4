import { ParseError, parseUint } from './parse-error.js';

/**
 * The 16 counter columns of /proc/net/dev, in the kernel's order, under the keys node_exporter
 * gives them when it reads this file (net-procfs.c prints them; the legacy columns already fold
 * several detailed error counters together, e.g. "frame" = length + over + crc + frame errors).
 */
export const NET_DEV_COLUMNS = [
  'receive_bytes',
  'receive_packets',
  'receive_errors',
  'receive_dropped',
  'receive_fifo',
  'receive_frame',
  'receive_compressed',
  'receive_multicast',
  'transmit_bytes',
  'transmit_packets',
  'transmit_errors',
  'transmit_dropped',
  'transmit_fifo',
  'transmit_colls',
  'transmit_carrier',
  'transmit_compressed',
] as const;

export interface NetDevLine {
  device: string;
  /** Column key (NET_DEV_COLUMNS) → value. */
  counters: Map<string, number>;
}

/** One device's line as parseNetDevRows gives it: the 16 values in NET_DEV_COLUMNS order. */
export interface NetDevRow {
  device: string;
  values: number[];
}

/**
 * /proc/net/dev: two header lines, then "  name: rx... tx..." per device. Old kernels glue a
 * wide first number to the colon ("eth0:123"), so the name ends at the colon, not at a space.
 * Columns a future kernel might append after the 16th are ignored.
 */
export function parseNetDev(text: string): NetDevLine[] {
  return parseNetDevRows(text).map(({ device, values }) => {
    const counters = new Map<string, number>();
    NET_DEV_COLUMNS.forEach((key, j) => counters.set(key, values[j] as number));
    return { device, counters };
  });
}

/** parseNetDev with each device's values in an array (NET_DEV_COLUMNS order) rather than a map. */
export function parseNetDevRows(text: string): NetDevRow[] {
  const lines = text.split('\n');
  const out: NetDevRow[] = [];
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    const lineNumber = i + 1;
    if (i < 2 || line.trim() === '') return;
    const colon = line.lastIndexOf(':');
    if (colon === -1) throw new ParseError('net/dev line has no "name:"', line, lineNumber);
    const device = line.slice(0, colon).trim();
    if (device === '') throw new ParseError('net/dev line has an empty device name', line, lineNumber);
    if (seen.has(device)) throw new ParseError(`duplicate device ${JSON.stringify(device)}`, line, lineNumber);
    const fields = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .filter((f) => f !== '');
    if (fields.length < NET_DEV_COLUMNS.length) {
      throw new ParseError(`net/dev line has ${fields.length} counters, want ${NET_DEV_COLUMNS.length}`, line, lineNumber);
    }
    const values = new Array<number>(NET_DEV_COLUMNS.length);
    for (let j = 0; j < NET_DEV_COLUMNS.length; j++) values[j] = parseUint(fields[j], NET_DEV_COLUMNS[j] as string, line, lineNumber);
    seen.add(device);
    out.push({ device, values });
  });
  return out;
}

/** Removes a key and returns its value, so each counter is folded into one sum at most. */
function take(counters: Map<string, number>, key: string): number | undefined {
  const v = counters.get(key);
  counters.delete(key);
  return v;
}

/**
 * Folds netlink-style detailed counters into the legacy /proc/net/dev columns and names, as
 * node_exporter does unless --collector.netdev.enable-detailed-metrics: "receive_errors" becomes
 * "receive_errs", "receive_dropped" becomes "receive_drop" (plus missed errors), and so on, the
 * same sums the kernel prints in /proc/net/dev. A sum is only formed when its first counter is
 * there. Keys it does not know (bytes, packets, compressed, nohandler) are left as they are.
 */
export function foldLegacyCounters(input: ReadonlyMap<string, number>): Map<string, number> {
  const c = new Map(input);
  const fold = (from: string, to: string, ...addends: string[]) => {
    const v = take(c, from);
    if (v === undefined) return;
    c.set(
      to,
      addends.reduce((sum, k) => sum + (take(c, k) ?? 0), v),
    );
  };
  fold('receive_errors', 'receive_errs');
  fold('receive_dropped', 'receive_drop', 'receive_missed_errors');
  fold('receive_fifo_errors', 'receive_fifo');
  fold('receive_frame_errors', 'receive_frame', 'receive_length_errors', 'receive_over_errors', 'receive_crc_errors');
  fold('multicast', 'receive_multicast');
  fold('transmit_errors', 'transmit_errs');
  fold('transmit_dropped', 'transmit_drop');
  fold('transmit_fifo_errors', 'transmit_fifo');
  fold('collisions', 'transmit_colls');
  fold('transmit_carrier_errors', 'transmit_carrier', 'transmit_aborted_errors', 'transmit_heartbeat_errors', 'transmit_window_errors');
  return c;
}

/**
 * The key each /proc/net/dev column has after foldLegacyCounters: the file's columns are the
 * kernel's legacy sums already, so folding them only renames some ("receive_errors" becomes
 * "receive_errs"). Derived from the fold itself, one column at a time, so the two cannot differ.
 */
export const NET_DEV_LEGACY_KEYS: readonly string[] = NET_DEV_COLUMNS.map((key) => {
  const folded = [...foldLegacyCounters(new Map([[key, 0]])).keys()];
  if (folded.length !== 1) throw new Error(`net/dev column ${key} folds into ${folded.length} keys`);
  return folded[0] as string;
});
