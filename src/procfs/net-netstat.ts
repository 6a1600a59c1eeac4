import { ParseError, parseFloatField } from './parse-error.js';

/** Protocol ("TcpExt", "Ip6") → counter name ("ListenDrops", "InReceives") → value. */
export type NetstatCounters = Map<string, Map<string, number>>;

/**
 * /proc/net/netstat and /proc/net/snmp: pairs of lines, "Proto: name name ..." then
 * "Proto: value value ...", one pair per protocol. Counters are mostly unsigned, but some
 * are not (Tcp MaxConn is -1), so values are read as signed numbers. A protocol given twice
 * keeps its last pair, as node_exporter's map does.
 */
export function parseNetstatPairs(text: string): NetstatCounters {
  const out: NetstatCounters = new Map();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const header = lines[i] ?? '';
    if (header.trim() === '') continue;
    const lineNumber = i + 1;
    const names = header.trim().split(/ +/);
    const proto = names[0] ?? '';
    if (!proto.endsWith(':') || proto.length < 2) throw new ParseError('line does not start with "Proto:"', header, lineNumber);
    const valueLine = lines[i + 1];
    if (valueLine === undefined || valueLine.trim() === '') {
      throw new ParseError(`${proto} names line has no values line after it`, header, lineNumber);
    }
    i++;
    const values = valueLine.trim().split(/ +/);
    if (values[0] !== proto) throw new ParseError(`values line does not belong to ${proto}`, valueLine, i + 1);
    if (values.length !== names.length) {
      throw new ParseError(`${proto} has ${names.length - 1} names but ${values.length - 1} values`, valueLine, i + 1);
    }
    const counters = new Map<string, number>();
    for (let j = 1; j < names.length; j++) {
      counters.set(names[j] ?? '', parseFloatField(values[j], `value of ${proto.slice(0, -1)}${names[j] ?? ''}`, valueLine, i + 1));
    }
    out.set(proto.slice(0, -1), counters);
  }
  return out;
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
