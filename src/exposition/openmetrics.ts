import { openMetricsFloat } from './number.js';
import { headerName, type NameEscaping } from './series.js';
import type { HistogramValue, SummaryValue } from './sink.js';
import type { SnapshotFamily } from './snapshot.js';
import { CHUNK, seriesPrefix, suffixedPrefix } from './text.js';

/** HELP text in OpenMetrics: backslash, newline and double quote escaped. */
function escapeHelp(help: string): string {
  return /[\\\n"]/.test(help) ? help.replace(/[\\\n"]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`)) : help;
}

/**
 * OpenMetrics 1.0 text as client_golang writes it: a counter named `…_total` is the family
 * without the suffix and its samples keep it; a counter without it, and untyped, are
 * `unknown`; integral floats keep a `.0`; counts are integers; `# EOF` last.
 */
export function* encodeOpenMetrics(families: readonly SnapshotFamily[], scheme: NameEscaping = 'underscores'): Generator<string> {
  let out = '';
  for (const f of families) {
    const { name, type } = f.buf;
    const total = type === 'counter' && name.endsWith('_total');
    const header = headerName(total ? name.slice(0, -6) : name, scheme);
    const omType = type === 'untyped' || (type === 'counter' && !total) ? 'unknown' : type;
    out += `# HELP ${header} ${escapeHelp(f.buf.desc.help)}\n# TYPE ${header} ${omType}\n`;
    const { values, complex } = f.buf;
    for (const i of f.order) {
      const c = complex?.[i];
      if (c === undefined) out += `${seriesPrefix(f, i, scheme)}${openMetricsFloat(values[i] ?? 0)}\n`;
      else out += complexLines(f, i, c, scheme);
      if (out.length >= CHUNK) {
        yield out;
        out = '';
      }
    }
  }
  yield `${out}# EOF\n`;
}

function count(n: number): string {
  return String(Math.max(0, Math.trunc(n)));
}

function complexLines(f: SnapshotFamily, i: number, c: SummaryValue | HistogramValue, scheme: NameEscaping): string {
  let out = '';
  if ('quantiles' in c) {
    for (const [q, v] of c.quantiles) out += `${seriesPrefix(f, i, scheme, `quantile="${openMetricsFloat(q)}"`)}${openMetricsFloat(v)}\n`;
  } else {
    let inf = false;
    for (const [le, n] of c.buckets) {
      if (le === Infinity) inf = true;
      out += `${suffixedPrefix(f, i, '_bucket', scheme, `le="${openMetricsFloat(le)}"`)}${count(n)}\n`;
    }
    if (!inf) out += `${suffixedPrefix(f, i, '_bucket', scheme, 'le="+Inf"')}${count(c.count)}\n`;
  }
  out += `${suffixedPrefix(f, i, '_sum', scheme)}${openMetricsFloat(c.sum)}\n`;
  out += `${suffixedPrefix(f, i, '_count', scheme)}${count(c.count)}\n`;
  return out;
}
