import { openMetricsFloat } from './number.js';
import { headerName, type NameEscaping } from './series.js';
import type { SnapshotFamily } from './snapshot.js';
import type { MetricType } from './desc.js';
import { ChunkWriter, complexLines, escapeHelp, type NumberSpelling, seriesPrefix, writeValue } from './text.js';

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
export function encodeOpenMetrics(families: readonly SnapshotFamily[], scheme: NameEscaping = 'underscores'): Buffer[] {
  const w = new ChunkWriter();
  for (const f of families) {
    const desc = f.buf.desc;
    if (scheme === 'underscores' || !desc.hasNonLegacyNames) w.str((desc.openMetricsHeader ??= openMetricsHeader(desc.name, desc.help, f.buf.type, 'underscores')));
    else w.str(openMetricsHeader(desc.name, desc.help, f.buf.type, scheme));
    const { complex } = f.buf;
    for (let k = 0; k < f.count; k++) {
      const i = f.order[k] as number;
      const c = complex?.[i];
      if (c === undefined) {
        w.str(seriesPrefix(f, i, scheme));
        writeValue(w, f, i, openMetricsFloat);
        w.newline();
      } else {
        w.str(complexLines(f, i, c, scheme, OM_NUMBERS));
      }
    }
  }
  w.str('# EOF\n');
  return w.finish();
}

function openMetricsHeader(name: string, help: string, type: MetricType, scheme: NameEscaping): string {
  const total = type === 'counter' && name.endsWith('_total');
  const header = headerName(total ? name.slice(0, -6) : name, scheme);
  const omType = type === 'untyped' || (type === 'counter' && !total) ? 'unknown' : type;
  return `# HELP ${header} ${escapeHelp(help, true)}\n# TYPE ${header} ${omType}\n`;
}
