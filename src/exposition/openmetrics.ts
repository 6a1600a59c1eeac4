import { openMetricsFloat } from './number.js';
import { headerName, type NameEscaping } from './series.js';
import type { SnapshotFamily } from './snapshot.js';
import type { MetricType } from './desc.js';
import { ChunkWriter, escapeHelp, type NumberSpelling, type TextDialect, writeFamilies } from './text.js';

/** Integral values keep a ".0"; counts are plain integers. */
const OM_NUMBERS: NumberSpelling = {
  value: openMetricsFloat,
  count: (n) => String(Math.max(0, Math.trunc(n))),
};

const OPENMETRICS: TextDialect = {
  header: (desc, type, scheme) =>
    scheme === 'underscores' || !desc.hasNonLegacyNames
      ? (desc.openMetricsHeader ??= openMetricsHeader(desc.name, desc.help, type, 'underscores'))
      : openMetricsHeader(desc.name, desc.help, type, scheme),
  numbers: OM_NUMBERS,
};

/**
 * OpenMetrics 1.0 text as client_golang writes it: a counter named `…_total` is the family
 * without the suffix and its samples keep it; a counter without it, and untyped, are
 * `unknown`; integral floats keep a `.0`; counts are integers; `# EOF` last.
 */
export function encodeOpenMetrics(families: readonly SnapshotFamily[], scheme: NameEscaping = 'underscores', w = new ChunkWriter()): Buffer[] {
  writeFamilies(w, families, scheme, OPENMETRICS);
  w.str('# EOF\n');
  return w.finish();
}

function openMetricsHeader(name: string, help: string, type: MetricType, scheme: NameEscaping): string {
  const total = type === 'counter' && name.endsWith('_total');
  const header = headerName(total ? name.slice(0, -6) : name, scheme);
  const omType = type === 'untyped' || (type === 'counter' && !total) ? 'unknown' : type;
  return `# HELP ${header} ${escapeHelp(help, true)}\n# TYPE ${header} ${omType}\n`;
}
