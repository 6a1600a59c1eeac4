import type { MetricType } from '../exposition/desc.js';
import type { HistogramValue, SummaryValue } from '../exposition/sink.js';
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

/** One family as it is served: every series has a value for each of the family's label names. */
export interface ServedFamily {
  name: string;
  help: string;
  type: MetricType;
  /** Every label name any series of the family has, in order of first appearance. */
  labelNames: string[];
  series: ServedSeries[];
}

export interface ServedSeries {
  /** Parallel to the family's labelNames; "" where the file's line had no such label. */
  labelValues: string[];
  /** A number for counters, gauges and untyped; a summary's or histogram's whole value otherwise. */
  value: number | SummaryValue | HistogramValue;
}

export interface MergeOutput {
  families: ServedFamily[];
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
  const out: ServedFamily[] = [];
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
    out.push({ name: f.name, help, type: f.type, ...seriesOf(f) });
  }
  return { families: out, problems };
}

function seriesOf(f: TextFamily): Pick<ServedFamily, 'labelNames' | 'series'> {
  const labelNames = [...new Set(f.metrics.flatMap((m) => m.labels.map(([n]) => n)))];
  const series = f.metrics.map((m): ServedSeries => {
    // Through a Map: a label named "__proto__" is legal and must stay an ordinary key.
    const labels = new Map(m.labels);
    const labelValues = labelNames.map((n) => labels.get(n) ?? '');
    if (f.type === 'summary') return { labelValues, value: summaryValue(m) };
    if (f.type === 'histogram') return { labelValues, value: histogramValue(m) };
    return { labelValues, value: m.value ?? 0 };
  });
  return { labelNames, series };
}

/** A summary as node_exporter re-emits it: quantiles through a map (the last of a repeated one wins), ascending. */
function summaryValue(m: TextMetric): SummaryValue {
  const s = m.summary ?? { count: 0, sum: 0, quantiles: [] };
  return { count: s.count, sum: s.sum, quantiles: [...new Map(s.quantiles)].sort(([a], [b]) => a - b) };
}

/**
 * A histogram as node_exporter re-emits it: buckets through a map, ascending, and an +Inf
 * bucket equal to the count when the file had none. Its collector reads counts as integers;
 * when any count in the file is fractional, Go's parser keeps them all as floats and every
 * count reads as 0 — reproduced, so values stay the same.
 */
function histogramValue(m: TextMetric): HistogramValue {
  const h = m.histogram ?? { count: 0, sum: 0, buckets: [] };
  const fractional = !Number.isInteger(h.count) || h.buckets.some(([, c]) => !Number.isInteger(c));
  const count = fractional ? 0 : h.count;
  const buckets = [...new Map(h.buckets)].sort(([a], [b]) => a - b).map(([le, c]): [number, number] => [le, fractional ? 0 : c]);
  if (buckets.at(-1)?.[0] !== Infinity) buckets.push([Infinity, count]);
  return { count, sum: h.sum, buckets };
}
