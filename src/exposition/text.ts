import { goFloat } from './number.js';
import { headerName, renderPrefix, type NameEscaping } from './series.js';
import type { HistogramValue, SummaryValue } from './sink.js';
import type { SnapshotFamily } from './snapshot.js';

/** Chunks of about this many UTF-16 units are handed to the response at a time. */
export const CHUNK = 64 * 1024;

/** HELP text in the classic format: backslash and newline escaped (quotes are not). */
function escapeHelp(help: string): string {
  return /[\\\n]/.test(help) ? help.replace(/[\\\n]/g, (c) => (c === '\\' ? '\\\\' : '\\n')) : help;
}

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
    out += `# HELP ${wire} ${escapeHelp(f.buf.desc.help)}\n# TYPE ${wire} ${f.buf.type}\n`;
    const { values, complex } = f.buf;
    for (const i of f.order) {
      const c = complex?.[i];
      if (c === undefined) out += `${seriesPrefix(f, i, scheme)}${goFloat(values[i] ?? 0)}\n`;
      else out += complexLines(f, i, c, scheme);
      if (out.length >= CHUNK) {
        yield out;
        out = '';
      }
    }
  }
  if (out !== '') yield out;
}

function complexLines(f: SnapshotFamily, i: number, c: SummaryValue | HistogramValue, scheme: NameEscaping): string {
  let out = '';
  if ('quantiles' in c) {
    for (const [q, v] of c.quantiles) out += `${seriesPrefix(f, i, scheme, `quantile="${goFloat(q)}"`)}${goFloat(v)}\n`;
  } else {
    let inf = false;
    for (const [le, n] of c.buckets) {
      if (le === Infinity) inf = true;
      out += `${suffixedPrefix(f, i, '_bucket', scheme, `le="${goFloat(le)}"`)}${goFloat(n)}\n`;
    }
    if (!inf) out += `${suffixedPrefix(f, i, '_bucket', scheme, 'le="+Inf"')}${goFloat(c.count)}\n`;
  }
  out += `${suffixedPrefix(f, i, '_sum', scheme)}${goFloat(c.sum)}\n`;
  out += `${suffixedPrefix(f, i, '_count', scheme)}${goFloat(c.count)}\n`;
  return out;
}
