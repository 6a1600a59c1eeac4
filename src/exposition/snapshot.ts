import type { Desc, MetricType } from './desc.js';
import type { Series } from './series.js';
import { type CollectorSink, FamilyBuffer } from './sink.js';

/**
 * One family of a scrape, ready to encode: its samples and the order to write them in. A
 * FamilyBuffer is one (assemble sets its order and count), so a scrape makes no entry objects.
 */
export interface SnapshotFamily {
  readonly buf: FamilyBuffer;
  /**
   * Indexes into buf, sorted by label set as Go's registry sorts series, duplicates dropped:
   * the first `count` entries (a family written in order shares one ascending array).
   */
  readonly order: readonly number[];
  readonly count: number;
}

/** 0, 1, 2, ...: the order of every family written sorted already, grown as needed. */
let ascending: number[] = [];

function inOrder(n: number): readonly number[] {
  if (ascending.length < n) {
    ascending = new Array<number>(Math.max(n, 2 * ascending.length, 256));
    for (let i = 0; i < ascending.length; i++) ascending[i] = i;
  }
  return ascending;
}

export interface AssembleReport {
  /** A family written with two types by two collectors (the later collector's samples dropped). */
  conflict(name: string, type: MetricType, kept: MetricType, collector: string): void;
  duplicates(name: string, count: number): void;
}

/**
 * Every family name seen lately and its rank among them in sorted order. A scrape places its
 * families into a slot array by rank rather than building a map of names and sorting it; the
 * ranks are redone only when a name appears that was not seen before, and names no scrape used
 * for FORGET_AFTER scrapes are dropped then.
 */
const nameRanks = new Map<string, { rank: number; seen: number }>();
let rankCount = 0;
let rounds = 0;
const FORGET_AFTER = 16;

function rerank(round: number): void {
  for (const [name, r] of nameRanks) if (r.seen < round - FORGET_AFTER) nameRanks.delete(name);
  const names = [...nameRanks.keys()].sort();
  for (let i = 0; i < names.length; i++) {
    const r = nameRanks.get(names[i] as string);
    if (r !== undefined) r.rank = i;
  }
  rankCount = names.length;
}

/**
 * Merges the collectors' sinks (in collector-name order, so the first collector by name wins a
 * type conflict) into families sorted by name, each with its series sorted and de-duplicated
 * (first wins: node_exporter fails the family on a duplicate; we keep serving). The sinks are
 * not changed: a family two collectors write is merged into a new buffer.
 */
export function assemble(sinks: readonly { name: string; sink: CollectorSink }[], report: AssembleReport): SnapshotFamily[] {
  const round = ++rounds;
  let unseen = false;
  for (let j = 0; j < sinks.length; j++) {
    const sink = (sinks[j] as (typeof sinks)[number]).sink;
    for (let k = 0; k < sink.list.length; k++) {
      const name = (sink.list[k] as FamilyBuffer).name;
      const r = nameRanks.get(name);
      if (r === undefined) {
        nameRanks.set(name, { rank: -1, seen: round });
        unseen = true;
      } else {
        r.seen = round;
      }
    }
  }
  if (unseen) rerank(round);
  if (slotsScratch.length < rankCount) slotsScratch = new Array<FamilyBuffer | undefined>(rankCount);
  const slots = slotsScratch;
  // Empty whatever an assemble that threw (a report callback) may have left.
  slots.fill(undefined);
  let merged: Set<FamilyBuffer> | undefined;
  for (let j = 0; j < sinks.length; j++) {
    const { name: collector, sink } = sinks[j] as (typeof sinks)[number];
    const conflicts = sink.conflicts;
    for (let c = 0; c < conflicts.length; c++) {
      const conflict = conflicts[c] as (typeof conflicts)[number];
      report.conflict(conflict.name, conflict.type, conflict.kept, collector);
    }
    for (let k = 0; k < sink.list.length; k++) {
      const f = sink.list[k] as FamilyBuffer;
      const name = f.name;
      const at = nameRanks.get(name)?.rank ?? -1;
      const have = slots[at];
      if (have === undefined) {
        slots[at] = f;
      } else if (have.type !== f.type) {
        report.conflict(name, f.type, have.type, collector);
      } else if (merged?.has(have)) {
        have.append(f);
      } else {
        const both = new FamilyBuffer(have.desc);
        both.append(have);
        both.append(f);
        (merged ??= new Set()).add(both);
        slots[at] = both;
      }
    }
  }
  // Sized once: an array grown by push costs about as much again in the copies it leaves.
  let filled = 0;
  for (let at = 0; at < rankCount; at++) if ((slots[at]?.size ?? 0) > 0) filled++;
  const out = new Array<SnapshotFamily>(filled);
  let n = 0;
  for (let at = 0; at < rankCount; at++) {
    const buf = slots[at];
    if (buf === undefined || buf.size === 0) continue;
    const order = sortedUnique(buf);
    const count = order === ascending ? buf.size : order.length;
    if (count < buf.size) report.duplicates(buf.name, buf.size - count);
    buf.order = order;
    buf.count = count;
    out[n++] = buf;
  }
  return out;
}

/** assemble's family slots by rank, kept between scrapes (assemble runs start to end without yielding). */
let slotsScratch: (FamilyBuffer | undefined)[] = [];

function compareValues(desc: Desc, a: readonly string[], b: readonly string[]): number {
  const order = desc.sortedLabelOrder;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
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

/** Whether a one-Desc family's series are strictly ascending (no closure, no array). */
function writtenInOrder(buf: FamilyBuffer): boolean {
  const desc = buf.desc;
  for (let i = 1; i < buf.size; i++) {
    const a = buf.seriesAt(i - 1);
    const b = buf.seriesAt(i);
    if (a === b || compareValues(desc, a.labelValues, b.labelValues) >= 0) return false;
  }
  return true;
}

/** Whether a one-Desc family holds exactly these series, in this order. */
function sameSeries(buf: FamilyBuffer, series: readonly Series[]): boolean {
  if (buf.size !== series.length) return false;
  for (let i = 0; i < series.length; i++) if (buf.seriesAt(i) !== series[i]) return false;
  return true;
}

function sortedUnique(buf: FamilyBuffer): readonly number[] {
  const n = buf.size;
  if (buf.descs === undefined) {
    // Most collectors write their series in order already: then there is nothing to do. The
    // others mostly write the same series in the same order every scrape: the Desc keeps the
    // order it found last time, for as long as that holds.
    if (writtenInOrder(buf)) return inOrder(n);
    const last = buf.desc.lastOrder;
    if (last !== undefined && sameSeries(buf, last.series)) return last.order;
    return sortOneDesc(buf);
  }
  return sortManyDescs(buf);
}

/*
 * The sorting paths are functions of their own: variables a closure captures are allocated in a
 * context object on every entry to their scope, so in sortedUnique's body they would cost one
 * per family per scrape though sorting is rare.
 */

function sortOneDesc(buf: FamilyBuffer): readonly number[] {
  const desc = buf.desc;
  const series = buf.allSeries();
  const order = sortOrder(buf.size, (a, b) => (series[a] === series[b] ? 0 : compareValues(desc, series[a]?.labelValues ?? [], series[b]?.labelValues ?? [])));
  desc.lastOrder = { series, order };
  return order;
}

/** Series from several Descs (label sets of different names): compare whole label keys. */
function sortManyDescs(buf: FamilyBuffer): readonly number[] {
  const n = buf.size;
  const keys: string[] = [];
  for (let i = 0; i < n; i++) keys.push(labelKey(buf.descAt(i), buf.seriesAt(i).labelValues));
  return sortOrder(n, (a, b) => {
    const x = keys[a] ?? '';
    const y = keys[b] ?? '';
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** Indexes 0..n-1 sorted by cmp (stable), those comparing equal to an earlier one dropped. */
function sortOrder(n: number, cmp: (a: number, b: number) => number): readonly number[] {
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
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
