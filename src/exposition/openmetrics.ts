import { openMetricsFloat } from './number.js';
import { headerName, type NameEscaping } from './series.js';
import type { SnapshotFamily } from './snapshot.js';
import { CHUNK, complexLines, escapeHelp, type NumberSpelling, seriesPrefix } from './text.js';

/** Integral values keep a ".0"; counts are plain integers. */
const OM_NUMBERS: NumberSpelling = {
  value: openMetricsFloat,
  count: (n) => String(Math.max(0, Math.trunc(n))),
};

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
    out += `# HELP ${header} ${escapeHelp(f.buf.desc.help, true)}\n# TYPE ${header} ${omType}\n`;
    const { values, complex } = f.buf;
    for (const i of f.order) {
      const c = complex?.[i];
      if (c === undefined) out += `${seriesPrefix(f, i, scheme)}${openMetricsFloat(values[i] ?? 0)}\n`;
      else out += complexLines(f, i, c, scheme, OM_NUMBERS);
      if (out.length >= CHUNK) {
        yield out;
        out = '';
      }
    }
  }
  yield `${out}# EOF\n`;
}
