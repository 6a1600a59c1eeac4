import { ParseError, parseFloatField } from './parse-error.js';

/** Protocol ("TcpExt", "Ip6") → counter name ("ListenDrops", "InReceives") → value. */
export type NetstatCounters = Map<string, Map<string, number>>;

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
    const names = headerNames(header);
    const proto = names[0] ?? '';
    if (!proto.endsWith(':') || proto.length < 2) throw new ParseError('line does not start with "Proto:"', header, lineNumber);
    const valueLine = lines[i + 1];
    if (valueLine === undefined || valueLine.trim() === '') {
      throw new ParseError(`${proto} names line has no values line after it`, header, lineNumber);
    }
    i++;
    const counters = new Map<string, number>();
    if (!inPlace || !plainValues(valueLine, proto, names, counters)) {
      counters.clear();
      const values = valueLine.trim().split(/ +/);
      if (values[0] !== proto) throw new ParseError(`values line does not belong to ${proto}`, valueLine, i + 1);
      if (values.length !== names.length) {
        throw new ParseError(`${proto} has ${names.length - 1} names but ${values.length - 1} values`, valueLine, i + 1);
      }
      for (let j = 1; j < names.length; j++) {
        counters.set(names[j] ?? '', parseFloatField(values[j], `value of ${proto.slice(0, -1)}${names[j] ?? ''}`, valueLine, i + 1));
      }
    }
    out.set(proto.slice(0, -1), counters);
  }
  return out;
}

/**
 * A names line split into its names, kept by the line's text: the kernel prints the same
 * header every time, so a scrape splits none (a few dozen lines at most are kept).
 */
const headers = new Map<string, readonly string[]>();

function headerNames(header: string): readonly string[] {
  let names = headers.get(header);
  if (names === undefined) {
    names = header.trim().split(/ +/);
    if (headers.size >= 64) headers.clear();
    headers.set(header, names);
  }
  return names;
}

/**
 * The common values line read in place: "Proto:" then one space-separated integer of at most 15
 * digits (optionally negative) per name, nothing else. Returns false, having set nothing
 * reliable, for any other line: the general parser then reads it (and makes the errors).
 */
function plainValues(line: string, proto: string, names: readonly string[], counters: Map<string, number>): boolean {
  if (!line.startsWith(proto)) return false;
  let i = proto.length;
  const end = line.length;
  for (let j = 1; j < names.length; j++) {
    if (i >= end || line.charCodeAt(i) !== 0x20) return false;
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
    if (i === start || i - start > 15) return false;
    if (i < end && line.charCodeAt(i) !== 0x20) return false;
    counters.set(names[j] ?? '', negative ? -value : value);
  }
  while (i < end && line.charCodeAt(i) === 0x20) i++;
  return i === end;
}

/**
 * /proc/net/snmp6: one "Ip6InReceives  123" per line. The protocol is the name up to and
 * including its first "6" (Ip6, Icmp6, Udp6, UdpLite6); names without a "6" and lines
 * without a value are skipped, as node_exporter skips them.
 */
export function parseSnmp6(text: string): NetstatCounters {
  const out: NetstatCounters = new Map();
  text.split('\n').forEach((line, i) => {
    const fields = line.trim().split(/\s+/);
    const [name, value] = fields;
    if (name === undefined || value === undefined) return;
    const six = name.indexOf('6');
    if (six === -1) return;
    const proto = name.slice(0, six + 1);
    let counters = out.get(proto);
    if (counters === undefined) out.set(proto, (counters = new Map()));
    counters.set(name.slice(six + 1), parseFloatField(value, `value of ${name}`, line, i + 1));
  });
  return out;
}
