import type { Desc, MetricType } from './desc.js';
import { type CollectorSink, FamilyBuffer } from './sink.js';

/** One family of a scrape, ready to encode: its samples and the order to write them in. */
export interface SnapshotFamily {
  readonly buf: FamilyBuffer;
  /** Indexes into buf, sorted by label set as Go's registry sorts series, duplicates dropped. */
  readonly order: readonly number[];
}

export interface AssembleReport {
  /** A family written with two types by two collectors (the later collector's samples dropped). */
  conflict(name: string, type: MetricType, kept: MetricType, collector: string): void;
  duplicates(name: string, count: number): void;
}

/**
 * Merges the collectors' sinks (in collector-name order, so the first collector by name wins a
 * type conflict) into families sorted by name, each with its series sorted and de-duplicated
 * (first wins: node_exporter fails the family on a duplicate; we keep serving). The sinks are
 * only read (a collector's last result may be served again by later scrapes): a family two
 * collectors write is merged into a buffer of its own.
 */
export function assemble(sinks: readonly { name: string; sink: CollectorSink }[], report: AssembleReport): SnapshotFamily[] {
  const byName = new Map<string, FamilyBuffer>();
  const merged = new Set<FamilyBuffer>();
  for (const { name: collector, sink } of sinks) {
    for (const c of sink.conflicts) report.conflict(c.name, c.type, c.kept, collector);
    for (const [name, f] of sink.families) {
      let have = byName.get(name);
      if (have === undefined) byName.set(name, f);
      else if (have.type === f.type) {
        if (!merged.has(have)) {
          const copy = new FamilyBuffer(have.desc);
          copy.append(have);
          byName.set(name, (have = copy));
          merged.add(copy);
        }
        have.append(f);
      } else report.conflict(name, f.type, have.type, collector);
    }
  }
  const names = [...byName.keys()].sort();
  const out: SnapshotFamily[] = [];
  for (const name of names) {
    const buf = byName.get(name);
    if (buf === undefined || buf.size === 0) continue;
    const order = sortedUnique(buf);
    if (order.length < buf.size) report.duplicates(name, buf.size - order.length);
    out.push({ buf, order });
  }
  return out;
}

function compareValues(desc: Desc, a: readonly string[], b: readonly string[]): number {
  for (const i of desc.sortedLabelOrder) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** A label set as one string that sorts as Go's registry sorts series (names, then values). */
function labelKey(desc: Desc, values: readonly string[]): string {
  return desc.sortedLabelOrder.map((i) => `${desc.labelNames[i] ?? ''}\u0000${values[i] ?? ''}`).join('\u0001');
}

function sortedUnique(buf: FamilyBuffer): number[] {
  const n = buf.size;
  let cmp: (a: number, b: number) => number;
  if (buf.descs === undefined) {
    const desc = buf.desc;
    const series = buf.series;
    cmp = (a, b) => (series[a] === series[b] ? 0 : compareValues(desc, series[a]?.labelValues ?? [], series[b]?.labelValues ?? []));
  } else {
    // Series from several Descs (label sets of different names): compare whole label keys.
    const keys = buf.series.map((s, i) => labelKey(buf.descAt(i), s.labelValues));
    cmp = (a, b) => {
      const x = keys[a] ?? '';
      const y = keys[b] ?? '';
      return x < y ? -1 : x > y ? 1 : 0;
    };
  }
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Most collectors write their series in order already: then there is nothing to do.
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = cmp(i - 1, i) < 0;
  if (sorted) return order;
  order.sort((a, b) => cmp(a, b) || a - b);
  const unique: number[] = [];
  for (const i of order) {
    const last = unique[unique.length - 1];
    if (last === undefined || cmp(last, i) !== 0) unique.push(i);
  }
  return unique;
}
