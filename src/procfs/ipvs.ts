import { ParseError, parseUint } from './parse-error.js';

/** /proc/net/ip_vs_stats: the totals since the module loaded (all hexadecimal). */
export interface IpvsStats {
  connections: number;
  incomingPackets: number;
  outgoingPackets: number;
  incomingBytes: number;
  outgoingBytes: number;
}

/** One real server ("->" line) of /proc/net/ip_vs, with the virtual service it belongs to. */
export interface IpvsBackend {
  proto: string;
  /** Dotted/colon form; '' for a firewall-mark service, which has no address. */
  localAddress: string;
  localPort: number;
  localMark: string;
  remoteAddress: string;
  remotePort: number;
  weight: number;
  activeConn: number;
  inactConn: number;
}

function hexU64(text: string | undefined, what: string, line: string, lineNumber: number): number {
  if (text === undefined || !/^[0-9a-fA-F]{1,16}$/.test(text)) throw new ParseError(`invalid ${what} ${JSON.stringify(text ?? '')}`, line, lineNumber);
  return Number(BigInt(`0x${text}`));
}

/** The third line holds the five totals; the rates below are ignored. */
export function parseIpvsStats(text: string): IpvsStats {
  const lines = text.split('\n');
  if (lines.length < 4) throw new ParseError('ip_vs_stats is too short, want the totals on line 3');
  const line = lines[2] ?? '';
  const f = line
    .trim()
    .split(/\s+/)
    .filter((x) => x !== '');
  if (f.length !== 5) throw new ParseError(`totals line has ${f.length} fields, want 5`, line, 3);
  return {
    connections: hexU64(f[0], 'connections', line, 3),
    incomingPackets: hexU64(f[1], 'incoming packets', line, 3),
    outgoingPackets: hexU64(f[2], 'outgoing packets', line, 3),
    incomingBytes: hexU64(f[3], 'incoming bytes', line, 3),
    outgoingBytes: hexU64(f[4], 'outgoing bytes', line, 3),
  };
}

/** An IPv6 address as Go's net.IP.String prints it: RFC 5952, IPv4-mapped ones dotted. */
export function formatIpv6(groups: readonly number[]): string {
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [a = 0, b = 0] = groups.slice(6);
    return `${a >> 8}.${a & 0xff}.${b >> 8}.${b & 0xff}`;
  }
  let bestAt = -1;
  let bestLen = 1; // a single zero group is not shortened
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLen) [bestAt, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestAt < 0) return hex.join(':');
  return `${hex.slice(0, bestAt).join(':')}::${hex.slice(bestAt + bestLen).join(':')}`;
}

/** "C0A80016:0CEA" (IPv4) or "[2620:0000:…:0001]:0050" (IPv6), as the kernel prints them. */
export function parseIpvsAddress(text: string, line: string, lineNumber: number): { address: string; port: number } {
  let address: string;
  if (text.length === 13 && /^[0-9a-fA-F]{8}$/.test(text.slice(0, 8))) {
    const n = Number.parseInt(text.slice(0, 8), 16);
    address = [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');
  } else if (text.length === 46 && /^\[([0-9a-fA-F]{4}:){7}[0-9a-fA-F]{4}\]/.test(text)) {
    address = formatIpv6(
      text
        .slice(1, 40)
        .split(':')
        .map((g) => Number.parseInt(g, 16)),
    );
  } else {
    throw new ParseError(`unexpected address:port ${JSON.stringify(text)}`, line, lineNumber);
  }
  const port = text.slice(-4);
  if (!/^[0-9a-fA-F]{4}$/.test(port)) throw new ParseError(`invalid port in ${JSON.stringify(text)}`, line, lineNumber);
  return { address, port: Number.parseInt(port, 16) };
}

/**
 * /proc/net/ip_vs: a service line (TCP/UDP address:port, or FWM mark) followed by its real
 * servers. Header lines and lines too short to be either are skipped, as procfs does.
 */
export function parseIpvsBackends(text: string): IpvsBackend[] {
  const out: IpvsBackend[] = [];
  let proto = '';
  let localMark = '';
  let localAddress = '';
  let localPort = 0;
  text.split('\n').forEach((line, i) => {
    const n = i + 1;
    const f = line
      .trim()
      .split(/\s+/)
      .filter((x) => x !== '');
    const [first, second] = f;
    if (first === undefined) return;
    if (first === 'IP' || first === 'Prot' || second === 'RemoteAddress:Port') return;
    if (second === undefined) return;
    if (first === 'TCP' || first === 'UDP') {
      proto = first;
      localMark = '';
      ({ address: localAddress, port: localPort } = parseIpvsAddress(second, line, n));
    } else if (first === 'FWM') {
      proto = first;
      localMark = second;
      localAddress = '';
      localPort = 0;
    } else if (first === '->') {
      if (f.length < 6) return;
      const remote = parseIpvsAddress(second, line, n);
      out.push({
        proto,
        localAddress,
        localPort,
        localMark,
        remoteAddress: remote.address,
        remotePort: remote.port,
        weight: parseUint(f[3], 'weight', line, n),
        activeConn: parseUint(f[4], 'active connections', line, n),
        inactConn: parseUint(f[5], 'inactive connections', line, n),
      });
    }
  });
  return out;
}
