import { Registry, type Metric, type MetricObject } from 'prom-client';
import type { Labels, MetricFamily, Sample } from './collector.js';

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

function labelKey(labels: Labels): string {
  const names = Object.keys(labels).sort();
  return names.map((n) => `${n}\u0000${labels[n] ?? ''}`).join('\u0001');
}

function compareSamples(a: { key: string }, b: { key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * One series per label set, in a stable order (as Go's registry sorts them). Duplicates are
 * dropped, first one wins: node_exporter fails the family on a duplicate; we keep serving.
 */
export function uniqueSortedSamples(samples: readonly Sample[]): { samples: Sample[]; duplicates: number } {
  const seen = new Map<string, Sample>();
  for (const s of samples) {
    const key = labelKey(s.labels);
    if (!seen.has(key)) seen.set(key, s);
  }
  const keyed = [...seen].map(([key, sample]) => ({ key, sample }));
  keyed.sort(compareSamples);
  return { samples: keyed.map((k) => k.sample), duplicates: samples.length - seen.size };
}

function adapt(f: MetricFamily, openMetrics: boolean): RenderableMetric {
  // OpenMetrics has no "untyped"; its name for the same thing is "unknown".
  const type: PromType = openMetrics && f.type === 'untyped' ? 'unknown' : f.type;
  // Label names in sorted order and samples sorted, as Go's client writes them.
  const values = uniqueSortedSamples(f.samples).samples.map((s) => ({
    labels: Object.fromEntries(Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    value: s.value,
  }));
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
 * prom-client's own metrics (process_*, nodejs_*) are long-lived objects. prom-client rewrites
 * a counter's name in place when rendering OpenMetrics, so each scrape wraps them afresh.
 */
export function wrapPromClientMetric(m: MetricObject): RenderableMetric {
  const inner = m as unknown as RenderableMetric;
  const wrapper: RenderableMetric = {
    name: inner.name,
    help: inner.help,
    type: inner.type,
    get: async () => {
      const got = await inner.get();
      return { ...got, name: wrapper.name };
    },
  };
  return wrapper;
}

/**
 * Renders one scrape's snapshot. A fresh Registry per scrape: nothing is shared between
 * concurrent scrapes, and a series that disappeared (an unmounted filesystem) simply isn't in
 * the next snapshot.
 */
export async function render(
  families: readonly MetricFamily[],
  extra: readonly MetricObject[],
  openMetrics: boolean,
): Promise<string> {
  const registry = new Registry();
  // The typings fix the content type at compile time; ours is chosen per request.
  (registry as unknown as { setContentType(ct: string): void }).setContentType(
    openMetrics ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE,
  );
  const all: RenderableMetric[] = [
    ...families.map((f) => adapt(f, openMetrics)),
    ...extra.map(wrapPromClientMetric),
  ];
  all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const m of all) registry.registerMetric(m as unknown as Metric);
  return registry.metrics();
}
