import { ParseError } from './parse-error.js';

/** One protocol line of sockstat: inuse is always there, the rest only for some protocols. */
export interface SockstatProtocol {
  protocol: string;
  inuse: number;
  orphan?: number;
  tw?: number;
  alloc?: number;
  /** Pages. */
  mem?: number;
  /** Bytes (FRAG's "memory"). */
  memory?: number;
}

export interface Sockstat {
  /** "sockets: used N": only /proc/net/sockstat has it, not sockstat6. */
  used?: number;
  protocols: SockstatProtocol[];
}

const KNOWN_KEYS = ['inuse', 'orphan', 'tw', 'alloc', 'mem', 'memory'] as const;

/**
 * /proc/net/sockstat and /proc/net/sockstat6: "PROTO: key value key value ..." per line.
 * Keys node_exporter does not know are skipped; a missing inuse counts as 0, as upstream's.
 */
export function parseSockstat(text: string): Sockstat {
  const out: Sockstat = { protocols: [] };
  text.split('\n').forEach((line, i) => {
    const lineNumber = i + 1;
    if (line.trim() === '') return;
    const fields = line.trim().split(/ +/);
    const proto = fields[0] ?? '';
    if (fields.length < 3 || !proto.endsWith(':') || proto.length < 2) {
      throw new ParseError('sockstat line is not "PROTO: key value ..."', line, lineNumber);
    }
    if (fields.length % 2 === 0) throw new ParseError('sockstat line has a key without a value', line, lineNumber);
    const kv = new Map<string, number>();
    for (let j = 1; j + 1 < fields.length; j += 2) {
      const key = fields[j] ?? '';
      const value = fields[j + 1] ?? '';
      if (!/^-?\d+$/.test(value)) throw new ParseError(`invalid value ${JSON.stringify(value)} of ${key}`, line, lineNumber);
      kv.set(key, Number(value));
    }
    const name = proto.slice(0, -1);
    if (name === 'sockets') {
      out.used = kv.get('used') ?? 0;
      return;
    }
    const p: SockstatProtocol = { protocol: name, inuse: kv.get('inuse') ?? 0 };
    for (const key of KNOWN_KEYS) {
      const v = kv.get(key);
      if (key !== 'inuse' && v !== undefined) p[key] = v;
    }
    out.protocols.push(p);
  });
  return out;
}
