import type { Labels, MetricFamily, Sample } from '../collector.js';
import { DescTable } from './desc.js';
import type { Sink } from './sink.js';

/**
 * Writes families of plain samples into a sink. Two users: collectors whose input already is
 * families of samples (textfile reads exposition text; the exporter's own metrics), and
 * collectors not yet moved to descriptors. Descs come from the caller's table so their series
 * caches survive between scrapes.
 */
export function addFamilies(out: Sink, families: readonly MetricFamily[], descs: DescTable): void {
  for (const f of families) {
    if (f.type === 'summary' || f.type === 'histogram') {
      addComplex(out, f, descs);
      continue;
    }
    for (const s of f.samples) {
      const names = Object.keys(s.labels);
      out.add(descs.get(f.name, f.help, f.type, names), s.value, ...names.map((n) => s.labels[n] ?? ''));
    }
  }
}

interface Parts {
  labels: Labels;
  points: [number, number][];
  sum: number;
  count: number;
}

/** A summary's or histogram's lines (quantile/bucket, _sum, _count) regrouped per series. */
function addComplex(out: Sink, f: MetricFamily, descs: DescTable): void {
  const special = f.type === 'summary' ? 'quantile' : 'le';
  const series = new Map<string, Parts>();
  const partsOf = (s: Sample): Parts => {
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.labels)) if (k !== special || s.suffix === '_sum' || s.suffix === '_count') labels[k] = v;
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let p = series.get(key);
    if (p === undefined) series.set(key, (p = { labels, points: [], sum: 0, count: 0 }));
    return p;
  };
  for (const s of f.samples) {
    const p = partsOf(s);
    if (s.suffix === '_sum') p.sum = s.value;
    else if (s.suffix === '_count') p.count = s.value;
    else {
      const at = s.labels[special];
      if (at !== undefined) p.points.push([parseBound(at), s.value]);
    }
  }
  for (const p of series.values()) {
    const names = Object.keys(p.labels);
    const desc = descs.get(f.name, f.help, f.type, names);
    const values = names.map((n) => p.labels[n] ?? '');
    if (f.type === 'summary') out.addSummary(desc, { count: p.count, sum: p.sum, quantiles: p.points }, ...values);
    else out.addHistogram(desc, { count: p.count, sum: p.sum, buckets: p.points }, ...values);
  }
}

function parseBound(s: string): number {
  if (s === '+Inf' || s === 'Inf' || s === '+inf') return Infinity;
  if (s === '-Inf' || s === '-inf') return -Infinity;
  return Number(s);
}
