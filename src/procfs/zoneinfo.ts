import { ParseError } from './parse-error.js';

/**
 * The /proc/zoneinfo keys node_exporter reports, in its order. Others (pagesets, per-cpu
 * thresholds, newer counters) are ignored.
 */
export const ZONEINFO_FIELDS = [
  'nr_free_pages',
  'min',
  'low',
  'high',
  'scanned',
  'spanned',
  'present',
  'managed',
  'nr_active_anon',
  'nr_inactive_anon',
  'nr_isolated_anon',
  'nr_anon_pages',
  'nr_anon_transparent_hugepages',
  'nr_active_file',
  'nr_inactive_file',
  'nr_isolated_file',
  'nr_file_pages',
  'nr_slab_reclaimable',
  'nr_slab_unreclaimable',
  'nr_mlock_stack',
  'nr_kernel_stack',
  'nr_mapped',
  'nr_dirty',
  'nr_writeback',
  'nr_unevictable',
  'nr_shmem',
  'nr_dirtied',
  'nr_written',
  'numa_hit',
  'numa_miss',
  'numa_foreign',
  'numa_interleave',
  'numa_local',
  'numa_other',
] as const;

export type ZoneinfoField = (typeof ZONEINFO_FIELDS)[number];

const FIELD_SET: ReadonlySet<string> = new Set(ZONEINFO_FIELDS);

export interface Zone {
  node: string;
  zone: string;
  /** Only the keys present in this zone's block; a later line for the same key wins. */
  values: Map<ZoneinfoField, number>;
  /** lowmem_reserve[]: pages kept back from allocations aimed at higher zones. */
  protection: number[];
}

function parseInt64(text: string | undefined, what: string, line: string, lineNumber: number): number {
  if (text === undefined || !/^-?\d+$/.test(text)) {
    throw new ParseError(`invalid ${what} ${JSON.stringify(text ?? '')}`, line, lineNumber);
  }
  return Number(text);
}

/**
 * Blocks start with "Node N, zone NAME". The "per-node stats" section the kernel prints inside
 * a node's first zone is attributed to that zone, as node_exporter does.
 */
export function parseZoneinfo(text: string): Zone[] {
  const zones: Zone[] = [];
  let current: Zone | undefined;
  text.split('\n').forEach((line, i) => {
    const lineNumber = i + 1;
    const trimmed = line.trim();
    if (trimmed === '') return;
    const header = /^Node\s+(\d+),\s+zone\s+(\w+)$/.exec(trimmed);
    if (header !== null) {
      current = { node: header[1] ?? '', zone: header[2] ?? '', values: new Map(), protection: [] };
      zones.push(current);
      return;
    }
    if (current === undefined) throw new ParseError('zoneinfo line before the first "Node N, zone NAME"', line, lineNumber);
    if (trimmed.startsWith('protection:')) {
      const list = /^protection:\s*\((.*)\)$/.exec(trimmed)?.[1];
      if (list === undefined) throw new ParseError('protection is not "(n, n, ...)"', line, lineNumber);
      current.protection = list.split(',').map((v, k) => parseInt64(v.trim(), `protection[${k}]`, line, lineNumber));
      return;
    }
    const fields = trimmed.split(/\s+/);
    const key = fields[0] ?? '';
    if (!FIELD_SET.has(key)) return;
    if (fields.length !== 2) throw new ParseError(`zoneinfo ${key} line has ${fields.length} fields, want 2`, line, lineNumber);
    current.values.set(key as ZoneinfoField, parseInt64(fields[1], `value of ${key}`, line, lineNumber));
  });
  if (zones.length === 0) throw new ParseError('zoneinfo has no zones');
  return zones;
}
