import type { Desc, MetricType } from './desc.js';
import { seriesAgain, type Series } from './series.js';

/** A summary's value: count, sum and its quantiles as [quantile, value] pairs. */
export interface SummaryValue {
  count: number;
  sum: number;
  quantiles: readonly (readonly [number, number])[];
}

/** A histogram's value: count, sum and cumulative buckets as [upper bound, count] pairs. */
export interface HistogramValue {
  count: number;
  sum: number;
  buckets: readonly (readonly [number, number])[];
}

/**
 * Where a collector writes what it measured, as node_exporter's collectors send const metrics
 * into Update(ch): one call per sample, against a Desc declared once. Label values are given
 * in the Desc's label-name order.
 */
export interface Sink {
  /**
   * One sample with up to four label values, given one by one (no array made for them when the
   * series is the one written at the same place last scrape, as it mostly is).
   */
  add(desc: Desc, value: number, l0?: string, l1?: string, l2?: string, l3?: string): void;
  /** One sample with its label values as an array: any number of them. */
  addv(desc: Desc, value: number, labelValues: readonly string[]): void;
  addSummary(desc: Desc, value: SummaryValue, ...labelValues: string[]): void;
  addHistogram(desc: Desc, value: HistogramValue, ...labelValues: string[]): void;
}

const NO_ORDER: readonly number[] = Object.freeze([]);

/**
 * The samples of one family, in the order they were written. Parallel arrays rather than an
 * object per sample, and no arrays at all while a family has one sample (most families of a
 * host have one). A buffer given back through its sink's layout is reset and written again by
 * a later scrape, arrays and all (see CollectorSink.release).
 */
export class FamilyBuffer {
  private s0: Series | undefined;
  private v0 = 0;
  /**
   * From the second sample on: every series and value, the first included. Kept when the buffer
   * is reset: entries from `size` on are left over from an earlier use and overwritten in turn.
   */
  private manySeries: Series[] | undefined;
  private manyValues: number[] | undefined;
  /** Summaries and histograms only: their values, parallel to the series. */
  complex: (SummaryValue | HistogramValue)[] | undefined;
  /** Only when series of this family come from more than one Desc (parallel to the series). */
  descs: Desc[] | undefined;
  private written = 0;
  /**
   * Set by assemble (snapshot.ts) for the scrape that serves this buffer: the indexes of the
   * series to write, sorted and de-duplicated (the first `count` entries). Recomputed by every
   * scrape that serves it; a buffer two scrapes serve gets the same answer from both.
   */
  order: readonly number[] = NO_ORDER;
  count = 0;
  /** The sink writing this buffer now (see CollectorSink.family). */
  owner: CollectorSink | undefined;

  constructor(private d: Desc) {}

  get desc(): Desc {
    return this.d;
  }

  /** As a SnapshotFamily (snapshot.ts): the buffer is its own entry in a scrape's family list. */
  get buf(): FamilyBuffer {
    return this;
  }

  get name(): string {
    return this.d.name;
  }

  get type(): MetricType {
    return this.d.type;
  }

  get size(): number {
    return this.written;
  }

  /**
   * The Desc whose series the entries left over from the last use are (see recall); undefined
   * when that use mixed Descs.
   */
  private recallDesc: Desc | undefined;

  /** Empty again, for a family of this Desc. */
  reset(desc: Desc): void {
    this.recallDesc = this.descs === undefined ? this.d : undefined;
    this.d = desc;
    this.written = 0;
    this.v0 = 0;
    this.complex = undefined;
    this.descs = undefined;
  }

  /**
   * The series of `desc` written next in the last use of this buffer, if any: what a collector
   * that writes the same series in the same order every scrape is about to write again.
   */
  recall(desc: Desc): Series | undefined {
    if (desc !== this.recallDesc || this.descs !== undefined) return undefined;
    const many = this.manySeries;
    if (many !== undefined) return many[this.written];
    return this.written === 0 ? this.s0 : undefined;
  }

  descAt(i: number): Desc {
    return this.descs?.[i] ?? this.d;
  }

  /** Series i (0 <= i < size). */
  seriesAt(i: number): Series {
    return (this.manySeries === undefined ? this.s0 : this.manySeries[i]) as Series;
  }

  /** The value of series i (a summary's or histogram's: its sum). */
  valueAt(i: number): number {
    return this.manyValues === undefined ? this.v0 : (this.manyValues[i] ?? 0);
  }

  /** Every series in written order (a new array). */
  allSeries(): Series[] {
    const out: Series[] = [];
    for (let i = 0; i < this.written; i++) out.push(this.seriesAt(i));
    return out;
  }

  push(desc: Desc, series: Series, value: number, complex?: SummaryValue | HistogramValue): void {
    if (desc !== this.d && this.descs === undefined) this.descs = new Array<Desc>(this.written).fill(this.d);
    this.descs?.push(desc);
    const n = this.written;
    const many = this.manySeries;
    const values = this.manyValues;
    if (many !== undefined && values !== undefined) {
      if (n < many.length) {
        many[n] = series;
        values[n] = value;
      } else {
        many.push(series);
        values.push(value);
      }
    } else if (n === 0) {
      this.s0 = series;
      this.v0 = value;
    } else {
      this.manySeries = [this.s0 as Series, series];
      this.manyValues = [this.v0, value];
      this.s0 = undefined;
    }
    this.written = n + 1;
    if (complex !== undefined) (this.complex ??= []).push(complex);
  }

  /** Appends another buffer of the same family (another collector's samples). */
  append(other: FamilyBuffer): void {
    for (let i = 0; i < other.size; i++) this.push(other.descAt(i), other.seriesAt(i), other.valueAt(i), other.complex?.[i]);
  }
}

/** add's label values as an array (a series not recalled: looked up, or made). */
function labelArray(l0?: string, l1?: string, l2?: string, l3?: string): string[] {
  if (l0 === undefined) return [];
  if (l1 === undefined) return [l0];
  if (l2 === undefined) return [l0, l1];
  if (l3 === undefined) return [l0, l1, l2];
  return [l0, l1, l2, l3];
}

/** Whether a series' label values are exactly add's (label values are strings, never undefined). */
function labelsAre(values: readonly string[], l0?: string, l1?: string, l2?: string, l3?: string): boolean {
  switch (values.length) {
    case 0:
      return l0 === undefined;
    case 1:
      return values[0] === l0 && l1 === undefined;
    case 2:
      return values[0] === l0 && values[1] === l1 && l2 === undefined;
    case 3:
      return values[0] === l0 && values[1] === l1 && values[2] === l2 && l3 === undefined;
    case 4:
      return values[0] === l0 && values[1] === l1 && values[2] === l2 && values[3] === l3;
    default:
      return false;
  }
}

function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const MAP_AFTER = 12;

/**
 * A collector's family names and the slot each was given, kept from scrape to scrape (the
 * Scraper holds one per collector): its sinks find a family by its slot in an array, with no map
 * of names made every scrape. Names are the collector's, a bounded set; past MAX_SLOTS (a
 * textfile directory whose names keep changing) new names get no slot and their sinks find them
 * as a sink without a layout does.
 */
export class SinkLayout {
  private readonly slots = new Map<string, number>();
  /** Families by slot from sinks given back (CollectorSink.release), for new sinks to write again. */
  private readonly spare: (FamilyBuffer | undefined)[][] = [];

  constructor(private readonly max = MAX_SLOTS) {}

  /** The slot of a name, or undefined. */
  slotOf(name: string): number | undefined {
    return this.slots.get(name);
  }

  /** The slot of a name, given one now if it has none; -1 once the layout is full. */
  assign(name: string): number {
    let slot = this.slots.get(name);
    if (slot === undefined) {
      if (this.slots.size >= this.max) return -1;
      slot = this.slots.size;
      this.slots.set(name, slot);
    }
    return slot;
  }

  get size(): number {
    return this.slots.size;
  }

  /** A released sink's families by slot, if one is spare. */
  take(): (FamilyBuffer | undefined)[] | undefined {
    return this.spare.pop();
  }

  /** Keeps a released sink's families by slot (as many as concurrent scrapes use, at most MAX_SPARE). */
  giveBack(bySlot: (FamilyBuffer | undefined)[]): void {
    if (this.spare.length < MAX_SPARE) this.spare.push(bySlot);
  }
}

/**
 * Released sinks a layout keeps: one per scrape that may run at the same time, within reason.
 * At 8 concurrent scrapes, 4 left a third of what those scrapes promoted to the old generation
 * being family buffers made anew (bench/alloc-sites --survivors --concurrency 8).
 */
const MAX_SPARE = 8;
const MAX_SLOTS = 4096;

type Conflict = { name: string; type: MetricType; kept: MetricType };
const NO_CONFLICTS: readonly Conflict[] = Object.freeze([]);

/**
 * One collector's output for one scrape. The scrape keeps it only if the collector finishes
 * in time and without error, so a failed collector's half-written samples are never served.
 */
export class CollectorSink implements Sink {
  /** Its families in the order they were first written. */
  readonly list: FamilyBuffer[] = [];
  /** With a layout: the families by their layout slot. */
  private bySlot: (FamilyBuffer | undefined)[] | undefined;
  /**
   * Families without a slot by name, made only once a sink holds more than MAP_AFTER of them:
   * a handful is found faster by a scan of the list than by a map made for every scrape.
   */
  private byName: Map<string, FamilyBuffer> | undefined;
  private conflictList: Conflict[] | undefined;
  /** Families written without a layout slot (no layout, or a full one). */
  private unslotted = 0;

  constructor(private readonly layout?: SinkLayout) {
    // Families a released sink wrote, by slot: written again here, not made anew.
    this.bySlot = layout?.take();
  }

  /**
   * Gives this sink's families back to its layout, for the next sink of the same collector to
   * reset and write again: only once nothing reads them any more (the scrape that served them
   * has encoded its answer), and never for a sink another scrape may still serve (a min-interval
   * collector's). The sink must not be used afterwards.
   */
  release(): void {
    const bySlot = this.bySlot;
    this.bySlot = undefined;
    if (bySlot !== undefined) this.layout?.giveBack(bySlot);
  }

  /** Set when a family was written with two types; the samples of the second are dropped. */
  get conflicts(): readonly Conflict[] {
    return this.conflictList ?? NO_CONFLICTS;
  }

  add(desc: Desc, value: number, l0?: string, l1?: string, l2?: string, l3?: string): void {
    const f = this.valueFamily(desc);
    if (f === undefined) return;
    const again = f.recall(desc);
    const s = again !== undefined && labelsAre(again.labelValues, l0, l1, l2, l3) ? seriesAgain(desc, again) : undefined;
    f.push(desc, s ?? desc.seriesFor(labelArray(l0, l1, l2, l3)), value);
  }

  addv(desc: Desc, value: number, labelValues: readonly string[]): void {
    const f = this.valueFamily(desc);
    if (f === undefined) return;
    const again = f.recall(desc);
    const s = again !== undefined && sameLabels(again.labelValues, labelValues) ? seriesAgain(desc, again) : undefined;
    f.push(desc, s ?? desc.seriesFor(labelValues), value);
  }

  /** The family a plain value of `desc` goes to (summaries and histograms have their own add). */
  private valueFamily(desc: Desc): FamilyBuffer | undefined {
    if (desc.type === 'summary' || desc.type === 'histogram') throw new TypeError(`${desc.name} is a ${desc.type}: use add${desc.type === 'summary' ? 'Summary' : 'Histogram'}`);
    return this.family(desc);
  }

  addSummary(desc: Desc, value: SummaryValue, ...labelValues: string[]): void {
    if (desc.type !== 'summary') throw new TypeError(`${desc.name} is a ${desc.type}, not a summary`);
    this.family(desc)?.push(desc, desc.seriesFor(labelValues), value.sum, value);
  }

  addHistogram(desc: Desc, value: HistogramValue, ...labelValues: string[]): void {
    if (desc.type !== 'histogram') throw new TypeError(`${desc.name} is a ${desc.type}, not a histogram`);
    this.family(desc)?.push(desc, desc.seriesFor(labelValues), value.sum, value);
  }

  /** The family of this name, if written. */
  get(name: string): FamilyBuffer | undefined {
    if (this.layout !== undefined) {
      // A name with a slot is found there or not written (a layout that was once full stays full,
      // so no name this sink wrote without a slot can have one now); one without a slot can only
      // be among those written without one.
      const slot = this.layout.slotOf(name);
      if (slot !== undefined) {
        // A family in the slot that this sink did not write is a released sink's, to write again.
        const f = this.bySlot?.[slot];
        return f?.owner === this ? f : undefined;
      }
      if (this.unslotted === 0) return undefined;
    }
    if (this.byName !== undefined) return this.byName.get(name);
    for (let i = 0; i < this.list.length; i++) {
      const f = this.list[i] as FamilyBuffer;
      if (f.name === name) return f;
    }
    return undefined;
  }

  private family(desc: Desc): FamilyBuffer | undefined {
    const f = this.get(desc.name);
    if (f === undefined) {
      const slot = this.layout === undefined ? -1 : this.layout.assign(desc.name);
      if (slot >= 0) {
        this.bySlot ??= new Array<FamilyBuffer | undefined>(this.layout?.size ?? 0);
        let created = this.bySlot[slot];
        if (created === undefined) created = new FamilyBuffer(desc);
        else created.reset(desc);
        created.owner = this;
        this.list.push(created);
        this.bySlot[slot] = created;
        return created;
      }
      const created = new FamilyBuffer(desc);
      created.owner = this;
      this.list.push(created);
      this.unslotted++;
      if (this.byName !== undefined) {
        this.byName.set(desc.name, created);
      } else if (this.unslotted > MAP_AFTER) {
        this.byName = new Map();
        for (const g of this.list) this.byName.set(g.name, g);
      }
      return created;
    }
    if (f.type === desc.type) return f;
    if (!this.conflicts.some((c) => c.name === desc.name)) (this.conflictList ??= []).push({ name: desc.name, type: desc.type, kept: f.type });
    return undefined;
  }
}
