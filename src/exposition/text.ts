import { goFloat } from './number.js';
import { headerName, renderPrefix, type NameEscaping } from './series.js';
import type { Desc, MetricType } from './desc.js';
import type { HistogramValue, SummaryValue } from './sink.js';
import type { SnapshotFamily } from './snapshot.js';

/** Chunks of about this many bytes are handed to the response at a time. */
export const CHUNK = 64 * 1024;

/**
 * An encoder's output, written straight into Buffers of about CHUNK bytes: lines are never
 * built as strings, and the response gets the Buffers as they are.
 */
export class ChunkWriter {
  readonly chunks: Buffer[] = [];
  private buf: Buffer;
  private pos = 0;

  /**
   * The first Buffer is smaller: most answers (one collector, an error page) are short. Or it is
   * one given to write into (the server's scratch space), which the first chunk then shares.
   */
  constructor(first: number | Buffer = 16 * 1024) {
    this.buf = typeof first === 'number' ? Buffer.allocUnsafe(first) : first;
  }

  str(s: string): void {
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    if (this.pos + 3 * s.length > this.buf.length) this.next(3 * s.length);
    this.pos += this.buf.write(s, this.pos);
  }

  newline(): void {
    if (this.pos === this.buf.length) this.next(1);
    this.buf[this.pos++] = 0x0a;
  }

  /** The Buffers written, the last one cut to its length. */
  finish(): Buffer[] {
    if (this.pos > 0) this.chunks.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.alloc(0);
    this.pos = 0;
    return this.chunks;
  }

  private next(need: number): void {
    if (this.pos > 0) this.chunks.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(Math.max(CHUNK, need));
    this.pos = 0;
  }
}

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

/**
 * Writes series i's value as `spell` spells it, reusing the series' last text when the value
 * and the spelling are the ones it had.
 */
export function writeValue(w: ChunkWriter, f: SnapshotFamily, i: number, spell: (v: number) => string): void {
  const v = f.buf.valueAt(i);
  const s = f.buf.seriesAt(i);
  if (s === undefined) {
    w.str(spell(v));
    return;
  }
  if (s.spelledBy !== spell || !Object.is(s.spelledValue, v)) {
    s.spelled = spell(v);
    s.spelledValue = v;
    s.spelledBy = spell;
  }
  w.str(s.spelled);
}

/** The prefix of series i of a family under a name escaping (the cached one for the default). */
export function seriesPrefix(f: SnapshotFamily, i: number, scheme: NameEscaping, extra?: string): string {
  const s = f.buf.seriesAt(i);
  const desc = f.buf.descAt(i);
  if (s === undefined) return '';
  if (extra === undefined && (scheme === 'underscores' || !desc.hasNonLegacyNames)) return s.prefix;
  return renderPrefix(desc.name, desc.labelNames, s.labelValues, desc.sortedLabelOrder, scheme, extra);
}

/** A summary's or histogram's line with a suffix (_sum, _count, _bucket): not cached, they are rare. */
export function suffixedPrefix(f: SnapshotFamily, i: number, suffix: string, scheme: NameEscaping, extra?: string): string {
  const s = f.buf.seriesAt(i);
  const desc = f.buf.descAt(i);
  return renderPrefix(`${desc.name}${suffix}`, desc.labelNames, s?.labelValues ?? [], desc.sortedLabelOrder, scheme, extra);
}

/** What tells the two text formats apart: their HELP/TYPE lines and how they spell numbers. */
export interface TextDialect {
  /** HELP and TYPE lines of a family (kept on its Desc under the default escaping). */
  header(desc: Desc, type: MetricType, scheme: NameEscaping): string;
  numbers: NumberSpelling;
}

/** Every family's HELP/TYPE lines, then its series in order, one line each. */
export function writeFamilies(w: ChunkWriter, families: readonly SnapshotFamily[], scheme: NameEscaping, dialect: TextDialect): void {
  const spell = dialect.numbers.value;
  for (const f of families) {
    w.str(dialect.header(f.buf.desc, f.buf.type, scheme));
    const { complex } = f.buf;
    for (let k = 0; k < f.count; k++) {
      const i = f.order[k] as number;
      const c = complex?.[i];
      if (c === undefined) {
        w.str(seriesPrefix(f, i, scheme));
        writeValue(w, f, i, spell);
        w.newline();
      } else {
        w.str(complexLines(f, i, c, scheme, dialect.numbers));
      }
    }
  }
}

const TEXT: TextDialect = {
  header: (desc, type, scheme) =>
    scheme === 'underscores' || !desc.hasNonLegacyNames
      ? (desc.textHeader ??= textHeader(desc.name, desc.help, type, 'underscores'))
      : textHeader(desc.name, desc.help, type, scheme),
  numbers: TEXT_NUMBERS,
};

/**
 * The Prometheus text format 0.0.4 as client_golang writes it: families sorted by name, HELP
 * then TYPE, one line per series, no blank lines, numbers as Go spells them.
 */
export function encodeText(families: readonly SnapshotFamily[], scheme: NameEscaping = 'underscores', w = new ChunkWriter()): Buffer[] {
  writeFamilies(w, families, scheme, TEXT);
  return w.finish();
}

function textHeader(name: string, help: string, type: string, scheme: NameEscaping): string {
  const wire = headerName(name, scheme);
  return `# HELP ${wire} ${escapeHelp(help, false)}\n# TYPE ${wire} ${type}\n`;
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
