/**
 * Builds TZif files (RFC 8536) for tests: our own writer, so the parser is checked against the
 * format's layout rather than against itself.
 */
export interface TzifSpec {
  version?: 1 | 2 | 3;
  transitions?: number[];
  transitionTypes?: number[];
  types: { utoff: number; isdst?: boolean; abbreviation: string }[];
  footer?: string;
  leaps?: number;
}

function block(spec: TzifSpec, timeSize: 4 | 8): { header: Buffer; data: Buffer } {
  const transitions = spec.transitions ?? [];
  const transitionTypes = spec.transitionTypes ?? transitions.map(() => 0);
  let chars = '';
  const idx = spec.types.map((t) => {
    const at = chars.length;
    chars += `${t.abbreviation}\0`;
    return at;
  });
  const leaps = spec.leaps ?? 0;
  const counts = [spec.types.length, spec.types.length, leaps, transitions.length, spec.types.length, chars.length];
  const header = Buffer.alloc(44);
  header.write('TZif', 0, 'latin1');
  header[4] = spec.version === undefined || spec.version === 1 ? 0 : 0x30 + spec.version;
  counts.forEach((c, k) => header.writeUInt32BE(c, 20 + 4 * k));
  const parts: Buffer[] = [];
  for (const t of transitions) {
    const b = Buffer.alloc(timeSize);
    if (timeSize === 8) b.writeBigInt64BE(BigInt(t));
    else b.writeInt32BE(Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, t)));
    parts.push(b);
  }
  parts.push(Buffer.from(transitionTypes));
  spec.types.forEach((t, k) => {
    const b = Buffer.alloc(6);
    b.writeInt32BE(t.utoff);
    b[4] = t.isdst === true ? 1 : 0;
    b[5] = idx[k] ?? 0;
    parts.push(b);
  });
  parts.push(Buffer.from(chars, 'latin1'));
  parts.push(Buffer.alloc(leaps * (timeSize + 4)));
  parts.push(Buffer.alloc(spec.types.length), Buffer.alloc(spec.types.length));
  return { header, data: Buffer.concat(parts) };
}

export function buildTzif(spec: TzifSpec): Buffer {
  const v1 = block(spec, 4);
  if (spec.version === undefined || spec.version === 1) return Buffer.concat([v1.header, v1.data]);
  const v2 = block(spec, 8);
  return Buffer.concat([v1.header, v1.data, v2.header, v2.data, Buffer.from(`\n${spec.footer ?? ''}\n`, 'latin1')]);
}

/** A zone like Central Europe: LMT, then CET/CEST transitions in 2025, then the footer's rule. */
export const CET_LIKE: TzifSpec = {
  version: 2,
  transitions: [-2422054408, 1743296400, 1761440400],
  transitionTypes: [1, 2, 1],
  types: [
    { utoff: 3208, abbreviation: 'LMT' },
    { utoff: 3600, abbreviation: 'CET' },
    { utoff: 7200, isdst: true, abbreviation: 'CEST' },
  ],
  footer: 'CET-1CEST,M3.5.0,M10.5.0/3',
};
