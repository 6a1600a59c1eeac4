import { createRequire } from 'node:module';
import type { Labels, MetricFamily, MetricType, Sample } from './collector.js';

/** The part of prom-client's Registry we use: registration and text rendering. */
interface PromRegistry {
  registerMetric(metric: RenderableMetric): void;
  setContentType(contentType: string): void;
  metrics(): Promise<string>;
}
interface PromRegistryClass {
  new (): PromRegistry;
  readonly PROMETHEUS_CONTENT_TYPE: string;
  readonly OPENMETRICS_CONTENT_TYPE: string;
}

// Only the registry module: prom-client's index also loads its metric classes, default metrics
// and push gateway client (~12 MiB of RSS measured) that an exporter rendering snapshots never uses.
const Registry = createRequire(import.meta.url)('prom-client/lib/registry.js') as PromRegistryClass;

export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;
export const OPENMETRICS_CONTENT_TYPE = Registry.OPENMETRICS_CONTENT_TYPE;

type PromType = 'gauge' | 'counter' | 'untyped' | 'unknown' | 'histogram' | 'summary';

interface PromValue {
  labels: Labels;
  value: number;
  metricName?: string;
}

/** What prom-client's Registry needs of a metric to render it: a name and get(). */
interface RenderableMetric {
  name: string;
  help: string;
  type: PromType;
  get(): Promise<{ name: string; help: string; type: PromType; values: PromValue[] }>;
}

/**
 * A label set as one string that sorts as Go's registry sorts series: names in order, each
 * with its value. Most collectors build labels with their names already in order; only the
 * others pay for a sort.
 */
function labelKey(labels: Labels): string {
  const parts: string[] = [];
  let prev = '';
  for (const n in labels) {
    if (n < prev) return sortedLabelKey(labels);
    parts.push(`${n}\u0000${labels[n] ?? ''}`);
    prev = n;
  }
  // join, not +=: one flat string per key rather than a rope V8 flattens again at each compare.
  return parts.join('\u0001');
}

function sortedLabelKey(labels: Labels): string {
  const names = Object.keys(labels).sort();
  return names.map((n) => `${n}\u0000${labels[n] ?? ''}`).join('\u0001');
}

function compareSamples(a: { key: string }, b: { key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** The label a summary's or histogram's per-line samples carry besides the series' own. */
function specialLabel(type: MetricType | undefined): string | undefined {
  return type === 'summary' ? 'quantile' : type === 'histogram' ? 'le' : undefined;
}

/** labelKey without the quantile/le label: the series a summary or histogram line belongs to. */
function seriesKey(labels: Labels, special: string): string {
  const names = Object.keys(labels).filter((n) => n !== special).sort();
  return names.map((n) => `${n}\u0000${labels[n] ?? ''}`).join('\u0001');
}

/**
 * One series per label set, in a stable order (as Go's registry sorts them). Duplicates are
 * dropped, first one wins: node_exporter fails the family on a duplicate; we keep serving.
 * A summary's or histogram's lines stay together per series, in the order the collector gave
 * them (quantiles or buckets, then _sum, then _count).
 */
export function uniqueSortedSamples(samples: readonly Sample[], type?: MetricType): { samples: Sample[]; duplicates: number } {
  const special = specialLabel(type);
  if (special !== undefined) return uniqueSortedParts(samples, special);
  const keys = samples.map((s) => labelKey(s.labels));
  // Most collectors already emit their series in order: then there is nothing to do.
  if (keys.every((k, i) => i === 0 || (keys[i - 1] ?? '') < k)) return { samples: samples.slice(), duplicates: 0 };
  // Stable (ties by position), so the first of equal label sets comes first and is kept.
  const order = keys.map((_, i) => i).sort((a, b) => {
    const ka = keys[a] ?? '';
    const kb = keys[b] ?? '';
    return ka < kb ? -1 : ka > kb ? 1 : a - b;
  });
  const out: Sample[] = [];
  let last: string | undefined;
  for (const i of order) {
    const s = samples[i];
    if (s === undefined || keys[i] === last) continue;
    last = keys[i];
    out.push(s);
  }
  return { samples: out, duplicates: samples.length - out.length };
}

/** Summaries and histograms: one series is several lines, told apart by suffix and le/quantile. */
function uniqueSortedParts(samples: readonly Sample[], special: string): { samples: Sample[]; duplicates: number } {
  const seen = new Map<string, { key: string; sample: Sample }>();
  for (const s of samples) {
    const id = `${s.suffix ?? ''}\u0002${labelKey(s.labels)}`;
    if (!seen.has(id)) seen.set(id, { key: seriesKey(s.labels, special), sample: s });
  }
  const keyed = [...seen.values()];
  keyed.sort(compareSamples); // stable: a series' lines keep their order
  return { samples: keyed.map((k) => k.sample), duplicates: samples.length - seen.size };
}

/** Families whose samples are already unique and sorted (the scrape did it): not done twice. */
const alreadySorted = new WeakSet<MetricFamily>();

export function markSorted(f: MetricFamily): MetricFamily {
  alreadySorted.add(f);
  return f;
}

function namesSorted(labels: Labels): boolean {
  let prev = '';
  for (const k in labels) {
    if (k < prev) return false;
    prev = k;
  }
  return true;
}

/** Label names in sorted order, as Go's client writes them; most collectors already do. */
function sortedLabels(labels: Labels): Labels {
  if (namesSorted(labels)) return labels;
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Go's client writes a summary's quantile or a histogram's le after the sorted series labels. */
function labelsWithSpecialLast(labels: Labels, special: string): Labels {
  const value = labels[special];
  if (value === undefined) return sortedLabels(labels);
  const rest = Object.entries(labels).filter(([n]) => n !== special).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries([...rest, [special, value]]);
}

function adapt(f: MetricFamily, openMetrics: boolean): RenderableMetric {
  // OpenMetrics has no "untyped"; its name for the same thing is "unknown".
  const type: PromType = openMetrics && f.type === 'untyped' ? 'unknown' : f.type;
  const samples = alreadySorted.has(f) ? f.samples : uniqueSortedSamples(f.samples, f.type).samples;
  const special = specialLabel(f.type);
  // Samples already carry what prom-client reads (labels, value): passed as they are unless a
  // label set needs its names put in order.
  const values: PromValue[] = special === undefined
    ? samples.every((s) => namesSorted(s.labels)) ? (samples as PromValue[]) : samples.map((s) => ({ labels: sortedLabels(s.labels), value: s.value }))
    : samples.map((s) => ({ labels: labelsWithSpecialLast(s.labels, special), value: s.value, ...(s.suffix === undefined ? {} : { metricName: `${f.name}${s.suffix}` }) }));
  const metric: RenderableMetric = {
    name: f.name,
    help: f.help,
    type,
    // prom-client may rename the metric (OpenMetrics counters); read the name at call time.
    get: async () => ({ name: metric.name, help: f.help, type, values }),
  };
  return metric;
}

/**
 * Renders one scrape's snapshot. A fresh Registry per scrape: nothing is shared between
 * concurrent scrapes, and a series that disappeared (an unmounted filesystem) simply isn't in
 * the next snapshot.
 */
export async function render(families: readonly MetricFamily[], openMetrics: boolean): Promise<string> {
  const registry = new Registry();
  registry.setContentType(openMetrics ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE);
  const all = families.map((f) => adapt(f, openMetrics));
  all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const m of all) registry.registerMetric(m);
  return registry.metrics();
}
