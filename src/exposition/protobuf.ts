import type { Desc } from './desc.js';
import { escapeName, type NameEscaping, type Series } from './series.js';
import type { HistogramValue, SummaryValue } from './sink.js';
import type { SnapshotFamily } from './snapshot.js';

/**
 * The protobuf delimited format (io.prometheus.client.MetricFamily, each message preceded by
 * its length as a varint), field numbers from client_model's metrics.proto:
 *   MetricFamily: name 1, help 2, type 3 (enum), metric 4, unit 5
 *   Metric: label 1, gauge 2, counter 3, summary 4, untyped 5, timestamp_ms 6, histogram 7
 *   LabelPair: name 1, value 2 · Gauge/Counter/Untyped: value 1 (double)
 *   Summary: sample_count 1, sample_sum 2, quantile 3 {quantile 1, value 2}
 *   Histogram: sample_count 1, sample_sum 2, bucket 3 {cumulative_count 1, upper_bound 2}
 */
const TYPE_ENUM = { counter: 0, gauge: 1, summary: 2, untyped: 3, histogram: 4 } as const;
const VALUE_FIELD = { counter: 3, gauge: 2, summary: 4, untyped: 5, histogram: 7 } as const;

const WIRE_VARINT = 0;
const WIRE_64BIT = 1;
const WIRE_LEN = 2;

/** A growable byte buffer with the few protobuf writes the encoder needs. */
class ProtoWriter {
  buf: Buffer;
  pos = 0;

  constructor(size = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(size);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  varint(v: number): void {
    this.room(10);
    // Numbers here are lengths, enums and counts: non-negative integers below 2^53.
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }

  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  double(field: number, v: number): void {
    this.tag(field, WIRE_64BIT);
    this.room(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  string(field: number, s: string): void {
    this.tag(field, WIRE_LEN);
    const n = Buffer.byteLength(s);
    this.varint(n);
    this.room(n);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  raw(b: Uint8Array, start = 0, end = b.length): void {
    this.room(end - start);
    this.buf.set(b.subarray(start, end), this.pos);
    this.pos += end - start;
  }
}

function varintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    n++;
  }
  return n;
}

/** A length-delimited field's whole size: tag (one byte for fields < 16), length, payload. */
function fieldSize(payload: number): number {
  return 1 + varintSize(payload) + payload;
}

/**
 * A series' LabelPair fields, encoded once per series and escaping scheme and kept on the
 * series (they are what makes a metric message; the value is 9 more bytes).
 */
function labelPairs(desc: Desc, series: Series, scheme: NameEscaping): Buffer {
  const cached = scheme === 'underscores' ? protoLabels.get(series) : undefined;
  if (cached !== undefined) return cached;
  const w = new ProtoWriter(256);
  for (const li of desc.sortedLabelOrder) {
    const name = escapeName(desc.labelNames[li] ?? '', scheme, true);
    const value = series.labelValues[li] ?? '';
    const nb = Buffer.byteLength(name);
    const vb = Buffer.byteLength(value);
    w.tag(1, WIRE_LEN);
    w.varint(fieldSize(nb) + fieldSize(vb));
    w.string(1, name);
    w.string(2, value);
  }
  const out = Buffer.from(w.buf.subarray(0, w.pos));
  if (scheme === 'underscores') protoLabels.set(series, out);
  return out;
}

/** Encoded label pairs per series; weak, so they go when the series leaves the cache. */
const protoLabels = new WeakMap<Series, Buffer>();

function uint(n: number): number {
  return Math.max(0, Math.trunc(n));
}

/** One MetricFamily message per family, each behind its varint length. */
export function* encodeProtobuf(families: readonly SnapshotFamily[], scheme: NameEscaping = 'underscores'): Generator<Buffer> {
  const w = new ProtoWriter();
  const m = new ProtoWriter(4096);
  const v = new ProtoWriter(256);
  for (const f of families) {
    const { type, complex } = f.buf;
    m.pos = 0;
    m.string(1, escapeName(f.buf.name, scheme));
    m.string(2, f.buf.desc.help);
    m.tag(3, WIRE_VARINT);
    m.varint(TYPE_ENUM[type]);
    const valueField = VALUE_FIELD[type];
    for (let k = 0; k < f.count; k++) {
      const i = f.order[k] as number;
      const series = f.buf.seriesAt(i);
      if (series === undefined) continue;
      const labels = labelPairs(f.buf.descAt(i), series, scheme);
      v.pos = 0;
      const c = complex?.[i];
      if (c === undefined) v.double(1, f.buf.valueAt(i));
      else complexValue(v, c);
      m.tag(4, WIRE_LEN);
      m.varint(labels.length + fieldSize(v.pos));
      m.raw(labels);
      m.tag(valueField, WIRE_LEN);
      m.varint(v.pos);
      m.raw(v.buf, 0, v.pos);
    }
    w.varint(m.pos);
    w.raw(m.buf, 0, m.pos);
    if (w.pos >= 64 * 1024) {
      yield Buffer.from(w.buf.subarray(0, w.pos));
      w.pos = 0;
    }
  }
  if (w.pos > 0) yield Buffer.from(w.buf.subarray(0, w.pos));
}

function complexValue(m: ProtoWriter, c: SummaryValue | HistogramValue): void {
  m.tag(1, WIRE_VARINT);
  m.varint(uint(c.count));
  m.double(2, c.sum);
  if ('quantiles' in c) {
    for (const [q, val] of c.quantiles) {
      m.tag(3, WIRE_LEN);
      m.varint(18);
      m.double(1, q);
      m.double(2, val);
    }
  } else {
    for (const [le, n] of c.buckets) {
      m.tag(3, WIRE_LEN);
      m.varint(1 + varintSize(uint(n)) + 9);
      m.tag(1, WIRE_VARINT);
      m.varint(uint(n));
      m.double(2, le);
    }
  }
}
