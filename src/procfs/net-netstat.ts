import { ParseError, parseFloatField } from './parse-error.js';

/** One protocol's counters: names as the kernel prints them (each once), values in the same order. */
export interface ProtocolCounters {
  readonly names: readonly string[];
  readonly values: readonly number[];
}

/**
 * Protocol ("TcpExt", "Ip6") → its counters ("ListenDrops", "InReceives"). Arrays rather than a
 * map per protocol: the names arrays are kept across scrapes (the kernel prints the same names
 * every time), so a parse allocates one values array per protocol.
 */
export type NetstatCounters = Map<string, ProtocolCounters>;

/** One counter by name, or undefined. */
export function counterValue(counters: ProtocolCounters | undefined, name: string): number | undefined {
  const i = counters?.names.indexOf(name) ?? -1;
  return i < 0 ? undefined : counters?.values[i];
}

/**
 * Names (first occurrence order) and, when a name repeats, where each one's value is: the last
 * occurrence wins, as in node_exporter's map.
 */
interface NameLayout {
  readonly names: readonly string[];
  /** For names[k], the index of its value among the line's values; undefined when no name repeats. */
  readonly from: readonly number[] | undefined;
}

function nameLayout(all: readonly string[]): NameLayout {
  const at = new Map<string, number>();
  for (let i = 0; i < all.length; i++) at.set(all[i] as string, i);
  if (at.size === all.length) return { names: all, from: undefined };
  return { names: [...at.keys()], from: [...at.values()] };
}

function laidOut(layout: NameLayout, lineValues: number[]): number[] {
  const from = layout.from;
  if (from === undefined) return lineValues;
  return from.map((i) => lineValues[i] ?? 0);
}

/**
 * /proc/net/netstat and /proc/net/snmp: pairs of lines, "Proto: name name ..." then
 * "Proto: value value ...", one pair per protocol. Counters are mostly unsigned, but some
 * are not (Tcp MaxConn is -1), so values are read as signed numbers. A protocol given twice
 * keeps its last pair, as node_exporter's map does. Values lines are read in place when they are
 * plain (see plainValues); `inPlace` false reads every one the general way (the tests' reference).
 */
export function parseNetstatPairs(text: string, inPlace = true): NetstatCounters {
  const out: NetstatCounters = new Map();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const header = lines[i] ?? '';
    if (header.trim() === '') continue;
    const lineNumber = i + 1;
    const h = headerOf(header);
    const proto = h.proto;
    if (!proto.endsWith(':') || proto.length < 2) throw new ParseError('line does not start with "Proto:"', header, lineNumber);
    const valueLine = lines[i + 1];
    if (valueLine === undefined || valueLine.trim() === '') {
      throw new ParseError(`${proto} names line has no values line after it`, header, lineNumber);
    }
    i++;
    const n = h.all.length;
    let values: number[] | undefined = inPlace ? plainValues(valueLine, proto, n) : undefined;
    if (values === undefined) {
      const fields = valueLine.trim().split(/ +/);
      if (fields[0] !== proto) throw new ParseError(`values line does not belong to ${proto}`, valueLine, i + 1);
      if (fields.length !== n + 1) {
        throw new ParseError(`${proto} has ${n} names but ${fields.length - 1} values`, valueLine, i + 1);
      }
      values = new Array<number>(n);
      for (let j = 0; j < n; j++) {
        values[j] = parseFloatField(fields[j + 1], `value of ${proto.slice(0, -1)}${h.all[j] ?? ''}`, valueLine, i + 1);
      }
    }
    out.set(proto.slice(0, -1), { names: h.layout.names, values: laidOut(h.layout, values) });
  }
  return out;
}

interface Header {
  /** "Proto:" as printed. */
  readonly proto: string;
  /** Every name after it, repeats included. */
  readonly all: readonly string[];
  readonly layout: NameLayout;
}

/**
 * A names line split into its names, kept by the line's text: the kernel prints the same
 * header every time, so a scrape splits none (a few dozen lines at most are kept).
 */
const headers = new Map<string, Header>();

function headerOf(line: string): Header {
  let h = headers.get(line);
  if (h === undefined) {
    const [proto = '', ...all] = line.trim().split(/ +/);
    h = { proto, all, layout: nameLayout(all) };
    if (headers.size >= 64) headers.clear();
    headers.set(line, h);
  }
  return h;
}

/**
 * The common values line read in place: "Proto:" then one space-separated integer of at most 15
 * digits (optionally negative) per name, nothing else. Returns undefined for any other line: the
 * general parser then reads it (and makes the errors).
 */
function plainValues(line: string, proto: string, n: number): number[] | undefined {
  if (!line.startsWith(proto)) return undefined;
  const values = new Array<number>(n);
  let i = proto.length;
  const end = line.length;
  for (let j = 0; j < n; j++) {
    if (i >= end || line.charCodeAt(i) !== 0x20) return undefined;
    while (i < end && line.charCodeAt(i) === 0x20) i++;
    const negative = line.charCodeAt(i) === 0x2d;
    if (negative) i++;
    const start = i;
    let value = 0;
    while (i < end && i - start < 16) {
      const d = line.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) break;
      value = value * 10 + d;
      i++;
    }
    if (i === start || i - start > 15) return undefined;
    if (i < end && line.charCodeAt(i) !== 0x20) return undefined;
    values[j] = negative ? -value : value;
  }
  while (i < end && line.charCodeAt(i) === 0x20) i++;
  return i === end ? values : undefined;
}

/**
 * /proc/net/snmp6: one "Ip6InReceives  123" per line. The protocol is the name up to and
 * including its first "6" (Ip6, Icmp6, Udp6, UdpLite6); names without a "6" and lines
 * without a value are skipped, as node_exporter skips them. A name given twice keeps its first
 * place and its last value.
 *
 * The kernel prints the same names in the same order every time: the layout of the last file
 * read the general way is kept, and a file that follows it line by line ("Name", spaces or tabs,
 * an integer of at most 15 digits) is read in place against it. `inPlace` false reads the
 * general way only (the tests' reference).
 */
export function parseSnmp6(text: string, inPlace = true): NetstatCounters {
  if (inPlace && snmp6Layout !== undefined) {
    const fast = snmp6InPlace(text, snmp6Layout);
    if (fast !== undefined) return fast;
  }
  const byProto = new Map<string, { all: string[]; values: number[] }>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const [name, value] = line.trim().split(/\s+/);
    if (name === undefined || value === undefined) continue;
    const six = name.indexOf('6');
    if (six === -1) continue;
    const proto = name.slice(0, six + 1);
    let p = byProto.get(proto);
    if (p === undefined) byProto.set(proto, (p = { all: [], values: [] }));
    p.all.push(name.slice(six + 1));
    p.values.push(parseFloatField(value, `value of ${name}`, line, i + 1));
  }
  const out: NetstatCounters = new Map();
  const protos: { proto: string; layout: NameLayout; count: number }[] = [];
  for (const [proto, p] of byProto) {
    const layout = nameLayout(p.all);
    out.set(proto, { names: layout.names, values: laidOut(layout, p.values) });
    protos.push({ proto, layout, count: p.all.length });
  }
  if (inPlace) snmp6Layout = snmp6LayoutOf(lines, protos);
  return out;
}

interface Snmp6Line {
  /** The name as printed ("Ip6InReceives"). */
  readonly name: string;
  /** Index into protos, or -1 for a name without a "6" (skipped). */
  readonly proto: number;
  /** Index of its value among its protocol's values as printed (repeats included). */
  readonly at: number;
}

interface Snmp6Layout {
  readonly lines: readonly Snmp6Line[];
  readonly protos: readonly { proto: string; layout: NameLayout; count: number }[];
}

let snmp6Layout: Snmp6Layout | undefined;

const SNMP6_PLAIN = /^[A-Za-z0-9]+[ \t]+\d{1,15}$/;

/** The layout of a file every non-empty line of which is plain; undefined otherwise. */
function snmp6LayoutOf(lines: readonly string[], protos: Snmp6Layout['protos']): Snmp6Layout | undefined {
  const index = new Map(protos.map((p, k) => [p.proto, k]));
  const seen = protos.map(() => 0);
  const out: Snmp6Line[] = [];
  for (const line of lines) {
    if (line === '') continue;
    if (!SNMP6_PLAIN.test(line)) return undefined;
    const name = line.slice(0, line.search(/[ \t]/));
    const six = name.indexOf('6');
    const proto = six === -1 ? -1 : (index.get(name.slice(0, six + 1)) ?? -1);
    if (six !== -1 && proto === -1) return undefined;
    out.push({ name, proto, at: proto === -1 ? 0 : (seen[proto] as number) });
    if (proto !== -1) seen[proto] = (seen[proto] as number) + 1;
  }
  return { lines: out, protos };
}

/** snmp6 read against a layout, or undefined when the text does not follow it exactly. */
function snmp6InPlace(text: string, layout: Snmp6Layout): NetstatCounters | undefined {
  const values = layout.protos.map((p) => new Array<number>(p.count));
  const end = text.length;
  let k = 0;
  let pos = 0;
  while (pos < end) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd === -1) lineEnd = end;
    if (lineEnd === pos) {
      pos++;
      continue;
    }
    const line = layout.lines[k++];
    if (line === undefined || !text.startsWith(line.name, pos)) return undefined;
    let i = pos + line.name.length;
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return undefined;
    while (i < lineEnd && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
    const start = i;
    let value = 0;
    while (i < lineEnd) {
      const d = text.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) return undefined;
      value = value * 10 + d;
      i++;
    }
    if (i === start || i - start > 15) return undefined;
    if (line.proto !== -1) (values[line.proto] as number[])[line.at] = value;
    pos = lineEnd + 1;
  }
  if (k !== layout.lines.length) return undefined;
  const out: NetstatCounters = new Map();
  for (let p = 0; p < layout.protos.length; p++) {
    const { proto, layout: names } = layout.protos[p] as Snmp6Layout['protos'][number];
    out.set(proto, { names: names.names, values: laidOut(names, values[p] as number[]) });
  }
  return out;
}
