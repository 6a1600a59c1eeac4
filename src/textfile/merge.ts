import type { Labels, MetricFamily, Sample } from '../collector.js';
import { formatGoFloat } from '../procfs/go-number.js';
import type { TextFamily, TextMetric } from './parse.js';

/** One .prom file after reading: its families (when it parsed) and what went wrong, if anything. */
export interface TextfileResult {
  file: string;
  /** Absent when the file could not be read or parsed; present (with `error`) when only stat failed. */
  families?: TextFamily[];
  error?: Error;
}

export interface MergeProblem {
  /** Whether it sets node_textfile_scrape_error, as it does in node_exporter. */
  scrapeError: boolean;
  message: string;
  metric?: string;
  file?: string;
}

export interface MergeOutput {
  families: MetricFamily[];
  problems: MergeProblem[];
}

/**
 * Turns the files' families into metric families the way node_exporter's textfile collector
 * and its registry do together:
 * - a family whose HELP differs from the first HELP seen for that name is dropped, and so is
 *   every later family of that name (scrape error);
 * - families without HELP get "Metric read from <files>", listing every file with that name;
 * - after that, a family whose HELP or type differs from the first one served under that name
 *   is dropped as the registry would drop it (logged, no scrape error);
 * - within one family, a label missing from some samples gets the value "".
 */
export function mergeTextfiles(results: readonly TextfileResult[]): MergeOutput {
  const problems: MergeProblem[] = [];
  const accepted: { family: TextFamily; file: string }[] = [];
  const firstHelp = new Map<string, { help: string; conflicted: boolean }>();
  const filesByName = new Map<string, string[]>();

  for (const { file, families, error } of results) {
    for (const f of families ?? []) {
      const seen = firstHelp.get(f.name);
      if (seen !== undefined && (seen.conflicted || (f.help !== undefined && f.help !== seen.help))) {
        seen.conflicted = true;
        problems.push({ scrapeError: true, message: 'inconsistent metric help text', metric: f.name, file });
        continue;
      }
      if (f.help !== undefined) firstHelp.set(f.name, { help: f.help, conflicted: false });
      filesByName.set(f.name, [...(filesByName.get(f.name) ?? []), file]);
      accepted.push({ family: f, file });
    }
    if (error !== undefined) problems.push({ scrapeError: true, message: error.message, file });
  }

  const served = new Map<string, { help: string; type: string }>();
  const out: MetricFamily[] = [];
  for (const { family: f, file } of accepted) {
    const help = f.help ?? `Metric read from ${(filesByName.get(f.name) ?? [file]).join(', ')}`;
    const first = served.get(f.name);
    if (first !== undefined && (first.help !== help || first.type !== f.type)) {
      problems.push({
        scrapeError: false,
        message: first.type !== f.type ? `metric type ${f.type} conflicts with ${first.type} served before` : 'metric help text conflicts with the one served before',
        metric: f.name,
        file,
      });
      continue;
    }
    served.set(f.name, { help, type: f.type });
    if (f.type === 'gaugehistogram') {
      // node_exporter panics on this type; we refuse the family instead.
      problems.push({ scrapeError: true, message: 'gauge histograms are not supported', metric: f.name, file });
      continue;
    }
    out.push({ name: f.name, help, type: f.type, samples: samplesOf(f) });
  }
  return { families: out, problems };
}

function samplesOf(f: TextFamily): Sample[] {
  const names = new Set(f.metrics.flatMap((m) => m.labels.map(([n]) => n)));
  return f.metrics.flatMap((m) => {
    // Through a Map: a label named "__proto__" is legal and must stay an ordinary key.
    const labels = new Map(m.labels);
    for (const n of names) if (!labels.has(n)) labels.set(n, '');
    if (f.type === 'summary') return summarySamples(m, labels);
    if (f.type === 'histogram') return histogramSamples(m, labels);
    return [{ labels: Object.fromEntries(labels) as Labels, value: m.value ?? 0 }];
  });
}

const withLabel = (labels: ReadonlyMap<string, string>, name: string, value: number): Labels =>
  Object.fromEntries([...labels, [name, formatGoFloat(value)]]) as Labels;

/**
 * A summary as node_exporter re-emits it: quantiles through a map (the last of a repeated
 * quantile wins) in ascending order, then _sum and _count.
 */
function summarySamples(m: TextMetric, labels: ReadonlyMap<string, string>): Sample[] {
  const s = m.summary ?? { count: 0, sum: 0, quantiles: [] };
  const quantiles = [...new Map(s.quantiles)].sort(([a], [b]) => a - b);
  const plain = Object.fromEntries(labels) as Labels;
  return [
    ...quantiles.map(([q, v]) => ({ labels: withLabel(labels, 'quantile', q), value: v })),
    { labels: plain, value: s.sum, suffix: '_sum' as const },
    { labels: plain, value: s.count, suffix: '_count' as const },
  ];
}

/**
 * A histogram as node_exporter re-emits it: buckets through a map, ascending, an +Inf bucket
 * equal to the count when the file had none, then _sum and _count. Its collector reads counts
 * as integers; when any count in the file is fractional, Go's parser keeps them all as floats
 * and every count reads as 0 — reproduced, so values stay the same.
 */
function histogramSamples(m: TextMetric, labels: ReadonlyMap<string, string>): Sample[] {
  const h = m.histogram ?? { count: 0, sum: 0, buckets: [] };
  const fractional = !Number.isInteger(h.count) || h.buckets.some(([, c]) => !Number.isInteger(c));
  const count = fractional ? 0 : h.count;
  const buckets = [...new Map(h.buckets)].sort(([a], [b]) => a - b).map(([le, c]): [number, number] => [le, fractional ? 0 : c]);
  if (buckets.at(-1)?.[0] !== Infinity) buckets.push([Infinity, count]);
  const plain = Object.fromEntries(labels) as Labels;
  return [
    ...buckets.map(([le, c]) => ({ labels: withLabel(labels, 'le', le), value: c, suffix: '_bucket' as const })),
    { labels: plain, value: h.sum, suffix: '_sum' as const },
    { labels: plain, value: count, suffix: '_count' as const },
  ];
}
