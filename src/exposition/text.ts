import { goFloat } from './number.js';
import { headerName, renderPrefix, type NameEscaping } from './series.js';
import type { HistogramValue, SummaryValue } from './sink.js';
import type { SnapshotFamily } from './snapshot.js';

/** Chunks of about this many UTF-16 units are handed to the response at a time. */
export const CHUNK = 64 * 1024;

/**
 * HELP text escaped as client_golang escapes it: backslash and newline, and in OpenMetrics the
 * double quote too.
 */
export function escapeHelp(help: string, quotes: boolean): string {
  return help.replace(quotes ? /[\\\n"]/g : /[\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** How a format spells a sample value, and a summary's or histogram's count. */
export interface NumberSpelling {
  value(v: number): string;
  count(n: number): string;
}

const TEXT_NUMBERS: NumberSpelling = { value: goFloat, count: goFloat };

/** The prefix of series i of a family under a name escaping (the cached one for the default). */
export function seriesPrefix(f: SnapshotFamily, i: number, scheme: NameEscaping, extra?: string): string {
  const s = f.buf.series[i];
  const desc = f.buf.descAt(i);
  if (s === undefined) return '';
  if (extra === undefined && (scheme === 'underscores' || !desc.hasNonLegacyNames)) return s.prefix;
  return renderPrefix(desc.name, desc.labelNames, s.labelValues, desc.sortedLabelOrder, scheme, extra);
}

/** A summary's or histogram's line with a suffix (_sum, _count, _bucket): not cached, they are rare. */
export function suffixedPrefix(f: SnapshotFamily, i: number, suffix: string, scheme: NameEscaping, extra?: string): string {
  const s = f.buf.series[i];
  const desc = f.buf.descAt(i);
  return renderPrefix(`${desc.name}${suffix}`, desc.labelNames, s?.labelValues ?? [], desc.sortedLabelOrder, scheme, extra);
}

/**
 * The Prometheus text format 0.0.4 as client_golang writes it: families sorted by name, HELP
 * then TYPE, one line per series, no blank lines, numbers as Go spells them.
 */
export function* encodeText(families: readonly SnapshotFamily[], scheme: NameEscaping = 'underscores'): Generator<string> {
  let out = '';
  for (const f of families) {
    const wire = headerName(f.buf.name, scheme);
    out += `# HELP ${wire} ${escapeHelp(f.buf.desc.help, false)}\n# TYPE ${wire} ${f.buf.type}\n`;
    const { values, complex } = f.buf;
    for (const i of f.order) {
      const c = complex?.[i];
      if (c === undefined) out += `${seriesPrefix(f, i, scheme)}${goFloat(values[i] ?? 0)}\n`;
      else out += complexLines(f, i, c, scheme, TEXT_NUMBERS);
      if (out.length >= CHUNK) {
        yield out;
        out = '';
      }
    }
  }
  if (out !== '') yield out;
}

/** A summary's quantile lines or a histogram's buckets (+Inf added when missing), then _sum and _count. */
export function complexLines(f: SnapshotFamily, i: number, c: SummaryValue | HistogramValue, scheme: NameEscaping, n: NumberSpelling): string {
  let out = '';
  if ('quantiles' in c) {
    for (const [q, v] of c.quantiles) out += `${seriesPrefix(f, i, scheme, `quantile="${n.value(q)}"`)}${n.value(v)}\n`;
  } else {
    let inf = false;
    for (const [le, count] of c.buckets) {
      if (le === Infinity) inf = true;
      out += `${suffixedPrefix(f, i, '_bucket', scheme, `le="${n.value(le)}"`)}${n.count(count)}\n`;
    }
    if (!inf) out += `${suffixedPrefix(f, i, '_bucket', scheme, 'le="+Inf"')}${n.count(c.count)}\n`;
  }
  out += `${suffixedPrefix(f, i, '_sum', scheme)}${n.value(c.sum)}\n`;
  out += `${suffixedPrefix(f, i, '_count', scheme)}${n.count(c.count)}\n`;
  return out;
}
