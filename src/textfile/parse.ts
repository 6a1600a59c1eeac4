import { ParseError } from '../procfs/parse-error.js';
import { parseGoFloat } from '../procfs/go-number.js';

/**
 * A parser for the Prometheus text exposition format (0.0.4), accepting and rejecting what
 * node_exporter's textfile collector does (prometheus/common's expfmt TextParser with UTF-8
 * name validation, since node_exporter PR #3729): the same escapes, the same strictness about
 * whitespace and line ends, the same grouping of summary and histogram lines into one metric
 * per label set.
 *
 * Names: a bare metric or label name has the legacy characters only; any other name is written
 * in double quotes (`{"my.metric","label.name"="v"} 1`, `# TYPE "my.metric" gauge`) and may
 * then hold any character but an unescaped newline. A metric name may stand inside the braces
 * as well as before them.
 */

export type TextMetricType = 'counter' | 'gauge' | 'untyped' | 'summary' | 'histogram' | 'gaugehistogram';

export interface TextSummary {
  count: number;
  sum: number;
  /** [quantile, value] in the order given. */
  quantiles: [number, number][];
}

export interface TextHistogram {
  count: number;
  sum: number;
  /** [upper bound, cumulative count] in the order given. */
  buckets: [number, number][];
}

export interface TextMetric {
  /** Label pairs in the order written; never `quantile` of a summary nor `le` of a histogram. */
  labels: [string, string][];
  /** The sample value of a counter, gauge or untyped metric. */
  value?: number;
  summary?: TextSummary;
  histogram?: TextHistogram;
  /** Milliseconds since the epoch, when the line carried a timestamp. */
  timestampMs?: number;
}

export interface TextFamily {
  name: string;
  /** Undefined when no HELP line gave one (an empty "# HELP name" line gives none either). */
  help?: string;
  type: TextMetricType;
  metrics: TextMetric[];
}

const TYPES = new Map<string, TextMetricType>([
  ['COUNTER', 'counter'],
  ['GAUGE', 'gauge'],
  ['UNTYPED', 'untyped'],
  ['SUMMARY', 'summary'],
  ['HISTOGRAM', 'histogram'],
  ['GAUGE_HISTOGRAM', 'gaugehistogram'],
  ['GAUGEHISTOGRAM', 'gaugehistogram'],
]);

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

/** The exposition format's float: Go's ParseFloat, minus hex floats and underscores. */
export function parseSampleValue(text: string): number | undefined {
  return /[pP_]/.test(text) ? undefined : parseGoFloat(text);
}

interface FamilyState extends TextFamily {
  typeGiven: boolean;
  /** Summary/histogram metrics by their label set, so their lines merge into one metric. */
  bySignature: Map<string, TextMetric>;
}

/** What a sample line's name resolved to: a family, and which part of a summary/histogram. */
interface Target {
  family: FamilyState;
  part: 'value' | 'count' | 'sum';
}

const isHistogram = (t: TextMetricType) => t === 'histogram' || t === 'gaugehistogram';

class LineParser {
  pos = 0;
  constructor(
    readonly line: string,
    readonly lineNumber: number,
  ) {}

  fail(reason: string): never {
    throw new ParseError(reason, this.line, this.lineNumber);
  }
  peek(): string | undefined {
    return this.line[this.pos];
  }
  get atEnd(): boolean {
    return this.pos >= this.line.length;
  }
  skipBlanks(): void {
    while (isBlank(this.peek())) this.pos++;
  }
  untilBlank(): string {
    const start = this.pos;
    while (!this.atEnd && !isBlank(this.peek())) this.pos++;
    return this.line.slice(start, this.pos);
  }

  /** A quoted string after its opening quote, with \\, \" and \n escapes; consumes the closing quote. */
  quoted(what: string): string {
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail(`${what} ${JSON.stringify(out)} is not terminated on its line`);
      this.pos++;
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.peek();
      this.pos++;
      if (e === '\\' || e === '"') out += e;
      else if (e === 'n') out += '\n';
      else this.fail(`invalid escape sequence "\\${e ?? ''}"`);
    }
  }

  /** A metric or label name: bare (legacy characters), or double-quoted (anything, escaped as a label value). */
  name(first: RegExp, rest: RegExp): string {
    if (this.peek() === '"') {
      this.pos++;
      return this.quoted('name');
    }
    if (!first.test(this.peek() ?? '')) return '';
    const start = this.pos;
    while (rest.test(this.peek() ?? '')) this.pos++;
    return this.line.slice(start, this.pos);
  }
  metricName(): string {
    return this.name(/[a-zA-Z_:]/, /[a-zA-Z0-9_:]/);
  }
  labelName(): string {
    return this.name(/[a-zA-Z_]/, /[a-zA-Z0-9_]/);
  }
}

/** Parses one .prom file; families in order of first appearance, those without samples dropped. */
export function parseTextFormat(text: string): TextFamily[] {
  const families = new Map<string, FamilyState>();

  /** expfmt's lookup: an existing family by exact name, else the summary/histogram it belongs to. */
  const resolve = (name: string, p: LineParser): Target => {
    // Only "" is left to refuse: a bare name was read in legacy characters, a quoted one may hold any.
    if (name === '') p.fail('invalid metric name ""');
    const exact = families.get(name);
    if (exact !== undefined) return { family: exact, part: 'value' };
    const suffix = /_(count|sum|bucket)$/.exec(name);
    const base = suffix === null || name.length === suffix[0].length ? undefined : families.get(name.slice(0, -suffix[0].length));
    const part = suffix?.[1] === 'count' ? 'count' : suffix?.[1] === 'sum' ? 'sum' : 'value';
    if (base !== undefined && base.type === 'summary' && suffix?.[1] !== 'bucket') return { family: base, part };
    if (base !== undefined && isHistogram(base.type)) return { family: base, part };
    const created: FamilyState = { name, type: 'untyped', typeGiven: false, metrics: [], bySignature: new Map() };
    families.set(name, created);
    return { family: created, part: 'value' };
  };

  const comment = (p: LineParser): void => {
    p.pos++;
    p.skipBlanks();
    const keyword = p.untilBlank();
    if (p.atEnd || (keyword !== 'HELP' && keyword !== 'TYPE')) return; // a plain comment
    p.skipBlanks();
    const name = p.metricName();
    if (p.atEnd) return;
    if (!isBlank(p.peek())) p.fail('invalid metric name in comment');
    const { family } = resolve(name, p);
    p.skipBlanks();
    if (p.atEnd) return; // "# HELP name" with no text sets nothing
    const rest = p.line.slice(p.pos);
    if (keyword === 'HELP') {
      if (family.help !== undefined) p.fail(`second HELP line for metric name ${JSON.stringify(family.name)}`);
      family.help = unescapeHelp(rest, p);
      return;
    }
    if (family.typeGiven || family.metrics.length > 0) {
      p.fail(`second TYPE line for metric name ${JSON.stringify(family.name)}, or TYPE reported after samples`);
    }
    const type = TYPES.get(rest.toUpperCase());
    if (type === undefined) p.fail(`unknown metric type ${JSON.stringify(rest)}`);
    family.type = type;
    family.typeGiven = true;
  };

  const sample = (p: LineParser): void => {
    let target: Target | undefined;
    if (p.peek() !== '{') {
      const name = p.metricName();
      if (name === '') p.fail('invalid metric name');
      target = resolve(name, p);
      p.skipBlanks();
    }
    const pairs: [string, string][] = [];
    if (p.peek() === '{') {
      p.pos++;
      for (;;) {
        p.skipBlanks();
        if (p.peek() === '}') break;
        const label = p.labelName();
        if (label === '') p.fail('invalid label name');
        p.skipBlanks();
        if (p.peek() !== '=') {
          // {"metric.name", label="value"}: the name inside the braces.
          if (target !== undefined || (p.peek() !== ',' && p.peek() !== '}')) p.fail(`expected "=" after label name ${JSON.stringify(label)}`);
          target = resolve(label, p);
          if (p.peek() === ',') p.pos++;
          continue;
        }
        p.pos++;
        p.skipBlanks();
        if (p.peek() !== '"') p.fail(`expected '"' at start of the value of label ${JSON.stringify(label)}`);
        p.pos++;
        pairs.push([label, p.quoted('label value')]);
        p.skipBlanks();
        if (p.peek() === ',') p.pos++;
        else if (p.peek() !== '}') p.fail(`unexpected character after the value of label ${JSON.stringify(label)}`);
      }
      p.pos++;
      p.skipBlanks();
    }
    if (target === undefined) p.fail('invalid metric name');
    addSample(target, pairs, p);
  };

  const lines = text.split('\n');
  // The format ends every line with "\n", the last one too; expfmt rejects a cut-off last line.
  const last = lines.pop() ?? '';
  lines.forEach((line, i) => {
    const p = new LineParser(line, i + 1);
    p.skipBlanks();
    if (p.atEnd) return;
    if (p.peek() === '#') comment(p);
    else sample(p);
  });
  if (!/^[ \t]*$/.test(last)) throw new ParseError('unexpected end of input: the last line has no newline', last, lines.length + 1);

  return [...families.values()]
    .filter((f) => f.metrics.length > 0)
    .map(({ name, help, type, metrics }) => (help === undefined ? { name, type, metrics } : { name, help, type, metrics }));
}

function unescapeHelp(text: string, p: LineParser): string {
  return text.replace(/\\(.?)/g, (_, e: string) => {
    if (e === '\\' || e === '"') return e;
    if (e === 'n') return '\n';
    return p.fail(`invalid escape sequence "\\${e}" in HELP`);
  });
}

/** Checks label names, splits off quantile/le, and files the value under its metric. */
function addSample({ family, part }: Target, pairs: [string, string][], p: LineParser): void {
  const labels: [string, string][] = [];
  let bound: number | undefined;
  const special = family.type === 'summary' ? 'quantile' : isHistogram(family.type) ? 'le' : undefined;
  for (const [name, value] of pairs) {
    if (name === '__name__') p.fail('label name "__name__" is reserved');
    if (name === special) {
      bound = parseSampleValue(value);
      if (bound === undefined) p.fail(`expected a float as the value of the ${JSON.stringify(name)} label, got ${JSON.stringify(value)}`);
      continue;
    }
    if (labels.some(([n]) => n === name)) p.fail(`duplicate label names for metric ${JSON.stringify(family.name)}`);
    labels.push([name, value]);
  }

  let metric: TextMetric;
  if (special === undefined) {
    metric = { labels };
    family.metrics.push(metric);
  } else {
    const signature = JSON.stringify([...labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const existing = family.bySignature.get(signature);
    metric = existing ?? { labels };
    if (existing === undefined) {
      family.bySignature.set(signature, metric);
      family.metrics.push(metric);
    }
  }

  const token = p.untilBlank();
  const value = parseSampleValue(token);
  if (value === undefined) p.fail(`expected a float as value, got ${JSON.stringify(token)}`);
  if (family.type === 'summary') {
    const s = (metric.summary ??= { count: 0, sum: 0, quantiles: [] });
    if (part === 'count') s.count = Math.trunc(value);
    else if (part === 'sum') s.sum = value;
    else if (bound !== undefined) s.quantiles.push([bound, value]);
  } else if (special !== undefined) {
    const h = (metric.histogram ??= { count: 0, sum: 0, buckets: [] });
    if (part === 'sum') h.sum = value;
    else if ((part === 'count' || bound !== undefined) && value < 0)
      p.fail(`negative ${part === 'count' ? 'count' : 'bucket population'} for histogram ${JSON.stringify(family.name)}`);
    else if (part === 'count') h.count = value;
    else if (bound !== undefined) h.buckets.push([bound, value]);
  } else {
    metric.value = value;
  }

  if (p.atEnd) return;
  p.skipBlanks();
  const ts = p.untilBlank();
  if (!/^[+-]?\d+$/.test(ts) || BigInt(ts) > 2n ** 63n - 1n || BigInt(ts) < -(2n ** 63n)) {
    p.fail(`expected an integer timestamp, got ${JSON.stringify(ts)}`);
  }
  metric.timestampMs = Number(ts);
  if (!p.atEnd) p.fail(`unexpected text after the timestamp: ${JSON.stringify(p.line.slice(p.pos))}`);
}
