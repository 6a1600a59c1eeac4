import assert from 'node:assert/strict';
import { monotonicMs } from '../../src/clock.js';
import type { CollectContext, Collector, CollectorDefinition, MetricType, OptionValues } from '../../src/collector.js';
import { goFloat } from '../../src/exposition/number.js';
import { CollectorSink, type FamilyBuffer } from '../../src/exposition/sink.js';
import type { SnapshotFamily } from '../../src/exposition/snapshot.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import { Paths, type PathRoots } from '../../src/paths.js';

/** One sample as tests look at it: labels by name, and for summaries/histograms the line's suffix. */
export interface Sample {
  labels: Readonly<Record<string, string>>;
  value: number;
  suffix?: '_bucket' | '_sum' | '_count';
}

/** A family of plain samples: what a collector wrote, regrouped for assertions. */
export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

export interface BuildOptions {
  roots?: Partial<PathRoots>;
  options?: Record<string, string | boolean | string[]>;
  explicit?: string[];
  enabledCollectors?: string[];
  logger?: Logger;
}

/** Builds one collector the way the CLI would, from plain option values. */
export function buildCollector(def: CollectorDefinition, o: BuildOptions = {}): Collector {
  const options: OptionValues = new Map(Object.entries(o.options ?? {}));
  return def.create({
    paths: new Paths(o.roots ?? {}),
    logger: o.logger ?? silentLogger,
    options,
    explicit: new Set(o.explicit ?? []),
    enabledCollectors: new Set(o.enabledCollectors ?? []),
  });
}

export async function collectOnce(collector: Collector): Promise<MetricFamily[]> {
  return collectWith(collector, { signal: new AbortController().signal, deadline: monotonicMs() + 5000 });
}

/** Runs one collect into a fresh sink and gives back what it wrote as plain families. */
export async function collectWith(collector: Collector, ctx: CollectContext): Promise<MetricFamily[]> {
  const sink = new CollectorSink();
  await collector.collect(ctx, sink);
  return bufferFamilies(sink.list);
}

/** Families written into a sink, as plain samples in written order: for assertions. */
export function bufferFamilies(buffers: Iterable<FamilyBuffer>): MetricFamily[] {
  return familiesOf(buffers, (buf) => buf.allSeries().map((_, i) => i));
}

/** Families a scrape assembled, as plain samples in the order served (sorted, de-duplicated). */
export function snapshotFamilies(families: Iterable<SnapshotFamily>): MetricFamily[] {
  const list = [...families];
  const orders = new Map(list.map((f) => [f.buf, f.order.slice(0, f.count)]));
  return familiesOf(
    list.map((f) => f.buf),
    (buf) => orders.get(buf) ?? [],
  );
}

function familiesOf(buffers: Iterable<FamilyBuffer>, orderOf: (buf: FamilyBuffer) => readonly number[]): MetricFamily[] {
  const out: MetricFamily[] = [];
  for (const buf of buffers) {
    const order = orderOf(buf);
    const samples: Sample[] = [];
    for (const i of order) {
      const desc = buf.descAt(i);
      const labels: Record<string, string> = {};
      desc.labelNames.forEach((n, k) => (labels[n] = buf.seriesAt(i).labelValues[k] ?? ''));
      const c = buf.complex?.[i];
      if (c === undefined) {
        samples.push({ labels, value: buf.valueAt(i) });
        continue;
      }
      if ('quantiles' in c) for (const [q, v] of c.quantiles) samples.push({ labels: { ...labels, quantile: goFloat(q) }, value: v });
      else for (const [le, v] of c.buckets) samples.push({ labels: { ...labels, le: goFloat(le) }, value: v, suffix: '_bucket' });
      samples.push({ labels, value: c.sum, suffix: '_sum' }, { labels, value: c.count, suffix: '_count' });
    }
    out.push({ name: buf.name, help: buf.desc.help, type: buf.type, samples });
  }
  return out;
}

/** Families flattened to 'name{k="v",...}' → value, labels sorted; fails on a duplicate series. */
export function seriesMap(families: readonly MetricFamily[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of families) {
    for (const s of f.samples) {
      const labels = Object.entries(s.labels)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',');
      const key = `${f.name}${s.suffix ?? ''}{${labels}}`;
      assert.ok(!out.has(key), `duplicate series ${key}`);
      out.set(key, s.value);
    }
  }
  return out;
}

/** The series of one family, as seriesMap keys → values. */
export function familySeries(m: ReadonlyMap<string, number>, name: string): Map<string, number> {
  return new Map([...m].filter(([k]) => k.startsWith(`${name}{`)));
}

export async function collectSeries(def: CollectorDefinition, o: BuildOptions = {}): Promise<Map<string, number>> {
  return seriesMap(await collectOnce(buildCollector(def, o)));
}
