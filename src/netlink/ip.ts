/**
 * IP addresses and prefixes printed as Go's net.IP / net.IPNet String() print them, since
 * node_exporter's route labels carry that text: dotted IPv4 (IPv4-mapped IPv6 included),
 * RFC 5952 IPv6 (longest run of two or more zero groups as "::", the first on a tie).
 */
function isV4Mapped(ip: Uint8Array): boolean {
  return ip.length === 16 && ip.subarray(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff;
}

/** The 4-byte form when the address is IPv4 (Go's To4), else undefined. */
function to4(ip: Uint8Array): Uint8Array | undefined {
  if (ip.length === 4) return ip;
  if (isV4Mapped(ip)) return ip.subarray(12);
  return undefined;
}

/** Go's net.IP.String(); '' for an absent address (node_exporter prints nothing then). */
export function formatIP(ip: Uint8Array | undefined): string {
  if (ip === undefined || ip.length === 0) return '';
  const v4 = to4(ip);
  if (v4 !== undefined) return [...v4].join('.');
  if (ip.length !== 16) return `?${Buffer.from(ip).toString('hex')}`;
  const groups = Array.from({ length: 8 }, (_, i) => ((ip[2 * i] ?? 0) << 8) | (ip[2 * i + 1] ?? 0));
  let bestAt = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (bestAt < 0) return hex(groups);
  return `${hex(groups.slice(0, bestAt))}::${hex(groups.slice(bestAt + bestLen))}`;
}

/**
 * node_exporter's route destination: "default" for a zero-length prefix, else Go's
 * IPNet{IP, CIDRMask(len, bits)}.String() — the address as given (not masked) and the length;
 * "<nil>" where Go's mask would not fit the address (an IPv4-mapped address with a prefix
 * longer than 32).
 */
export function formatPrefix(ip: Uint8Array | undefined, length: number): string {
  if (length === 0) return 'default';
  const addr = ip ?? new Uint8Array(0);
  const v4 = to4(addr);
  const bits = v4 !== undefined ? 32 : 128;
  if (addr.length === 0 || length > bits) return '<nil>';
  return `${formatIP(addr)}/${length}`;
}
