import { ParseError } from '../procfs/parse-error.js';

/**
 * A time zone file in the TZif format (RFC 8536: /etc/localtime, /usr/share/zoneinfo/...), as
 * far as naming the zone goes: its local time types, the transitions between them and the
 * POSIX TZ string that rules times after the last transition. Go's time package reads the same
 * file for time.Now().Zone(), which is where node_exporter's time_zone label comes from.
 */
export interface Tzif {
  /** Transition times (seconds since the epoch, ascending) and the type each one starts. */
  readonly transitions: readonly number[];
  readonly transitionTypes: readonly number[];
  readonly types: readonly TzifType[];
  /** The footer TZ string (version 2+), e.g. "CET-1CEST,M3.5.0,M10.5.0/3"; '' when none. */
  readonly footer: string;
}

export interface TzifType {
  /** Seconds east of UTC. */
  readonly utoff: number;
  readonly isdst: boolean;
  readonly abbreviation: string;
}

const HEADER = 44;

interface Counts {
  isut: number;
  isstd: number;
  leap: number;
  time: number;
  type: number;
  char: number;
}

function header(b: Buffer, at: number): { version: number; counts: Counts } {
  if (b.length < at + HEADER) throw new ParseError(`TZif header truncated at byte ${at}`);
  if (b.toString('latin1', at, at + 4) !== 'TZif') throw new ParseError(`no TZif magic at byte ${at}`);
  const v = b[at + 4] ?? 0;
  const version = v === 0 ? 1 : v - 0x30;
  if (version < 1 || version > 9) throw new ParseError(`unknown TZif version byte 0x${v.toString(16)}`);
  const n = (k: number) => b.readUInt32BE(at + 20 + 4 * k);
  const counts = { isut: n(0), isstd: n(1), leap: n(2), time: n(3), type: n(4), char: n(5) };
  if (counts.type === 0) throw new ParseError('TZif has no local time types');
  if (counts.char === 0) throw new ParseError('TZif has no abbreviation characters');
  if ((counts.isut !== 0 && counts.isut !== counts.type) || (counts.isstd !== 0 && counts.isstd !== counts.type)) {
    throw new ParseError('TZif indicator counts do not match the type count');
  }
  return { version, counts };
}

function blockSize(c: Counts, timeSize: number): number {
  return c.time * timeSize + c.time + c.type * 6 + c.char + c.leap * (timeSize + 4) + c.isstd + c.isut;
}

/** Parses a TZif file (versions 1 to 4): the 64-bit block when there is one, else the 32-bit one. */
export function parseTzif(b: Buffer): Tzif {
  const first = header(b, 0);
  let at = HEADER;
  let counts = first.counts;
  let timeSize = 4;
  const v1Size = blockSize(counts, 4);
  if (b.length < at + v1Size) throw new ParseError(`TZif data truncated: ${b.length} bytes, want ${at + v1Size}`);
  if (first.version >= 2) {
    at += v1Size;
    counts = header(b, at).counts;
    at += HEADER;
    timeSize = 8;
    const size = blockSize(counts, 8);
    if (b.length < at + size) throw new ParseError(`TZif version 2+ data truncated: ${b.length} bytes, want ${at + size}`);
  }
  const transitions: number[] = [];
  for (let i = 0; i < counts.time; i++) {
    const t = timeSize === 8 ? Number(b.readBigInt64BE(at + 8 * i)) : b.readInt32BE(at + 4 * i);
    if (i > 0 && t <= (transitions[i - 1] as number)) throw new ParseError(`TZif transition ${i} is not after the one before it`);
    transitions.push(t);
  }
  at += counts.time * timeSize;
  const transitionTypes: number[] = [];
  for (let i = 0; i < counts.time; i++) {
    const t = b[at + i] as number;
    if (t >= counts.type) throw new ParseError(`TZif transition ${i} names type ${t} of ${counts.type}`);
    transitionTypes.push(t);
  }
  at += counts.time;
  const typesAt = at;
  const charsAt = at + counts.type * 6;
  const chars = b.subarray(charsAt, charsAt + counts.char);
  const types: TzifType[] = [];
  for (let i = 0; i < counts.type; i++) {
    const utoff = b.readInt32BE(typesAt + 6 * i);
    const isdst = b[typesAt + 6 * i + 4] as number;
    const idx = b[typesAt + 6 * i + 5] as number;
    if (utoff === -(2 ** 31) || isdst > 1) throw new ParseError(`TZif type ${i} is out of range`);
    if (idx >= counts.char) throw new ParseError(`TZif type ${i} abbreviation index ${idx} is past the ${counts.char} characters`);
    const end = chars.indexOf(0, idx);
    if (end === -1) throw new ParseError(`TZif type ${i} abbreviation is not NUL-terminated`);
    types.push({ utoff, isdst: isdst === 1, abbreviation: chars.toString('latin1', idx, end) });
  }
  let footer = '';
  if (first.version >= 2) {
    const rest = charsAt + counts.char + counts.leap * 12 + counts.isstd + counts.isut;
    if (b[rest] === 0x0a) {
      const end = b.indexOf(0x0a, rest + 1);
      if (end === -1) throw new ParseError('TZif footer is not terminated by a newline');
      footer = b.toString('latin1', rest + 1, end);
    }
  }
  return { transitions, transitionTypes, types, footer };
}

/**
 * The standard and daylight-saving names and offsets (seconds east of UTC) of a POSIX TZ
 * string, rules left out: "CET-1CEST,M3.5.0,M10.5.0/3" → CET +3600, CEST +7200;
 * "<+0530>-5:30" → +0530 +19800. Undefined when the string does not start that way.
 */
export function tzStringNames(tz: string): { std: { name: string; utoff: number }; dst?: { name: string; utoff: number } } | undefined {
  let i = 0;
  const name = (): string | undefined => {
    if (tz[i] === '<') {
      const end = tz.indexOf('>', i);
      if (end === -1) return undefined;
      const n = tz.slice(i + 1, end);
      i = end + 1;
      return n.length >= 3 ? n : undefined;
    }
    const start = i;
    while (i < tz.length && /[A-Za-z]/.test(tz[i] as string)) i++;
    return i - start >= 3 ? tz.slice(start, i) : undefined;
  };
  // POSIX offsets are hours west of UTC: "-1" is one hour east.
  const offset = (): number | undefined => {
    const m = /^([+-]?)(\d{1,3})(?::(\d{1,2}))?(?::(\d{1,2}))?/.exec(tz.slice(i));
    if (m === null) return undefined;
    i += m[0].length;
    const west = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
    return m[1] === '-' ? west : 0 - west;
  };
  const stdName = name();
  if (stdName === undefined) return undefined;
  const stdOff = offset();
  if (stdOff === undefined) return undefined;
  const std = { name: stdName, utoff: stdOff };
  if (i >= tz.length || tz[i] === ',') return { std };
  const dstName = name();
  if (dstName === undefined) return { std };
  const explicit = tz[i] !== undefined && tz[i] !== ',' ? offset() : undefined;
  return { std, dst: { name: dstName, utoff: explicit ?? stdOff + 3600 } };
}

/**
 * The abbreviation of the zone at `seconds` (since the epoch), where the local offset is known to
 * be `utoff` seconds east of UTC (from the process's own clock): the type of the transition in
 * effect, or after the last transition the footer's name for that offset, as Go looks it up.
 * Undefined when the file has no name for that offset.
 */
export function tzifAbbreviation(tz: Tzif, seconds: number, utoff: number): string | undefined {
  const { transitions, transitionTypes, types } = tz;
  const n = transitions.length;
  if (n > 0 && seconds >= (transitions[0] as number) && (seconds < (transitions[n - 1] as number) || tz.footer === '')) {
    // The last transition at or before `seconds`.
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((transitions[mid] as number) <= seconds) lo = mid;
      else hi = mid - 1;
    }
    const t = types[transitionTypes[lo] as number];
    if (t !== undefined && t.utoff === utoff) return t.abbreviation;
  }
  if (tz.footer !== '' && (n === 0 || seconds >= (transitions[n - 1] as number))) {
    const names = tzStringNames(tz.footer);
    if (names?.dst !== undefined && names.dst.utoff === utoff && names.std.utoff !== utoff) return names.dst.name;
    if (names !== undefined && names.std.utoff === utoff) return names.std.name;
  }
  if (n === 0 || seconds < (transitions[0] as number)) {
    // Before the first transition (or none): the first standard-time type, as Go's lookupFirstZone.
    const t = types.find((x) => !x.isdst) ?? types[0];
    if (t !== undefined && t.utoff === utoff) return t.abbreviation;
  }
  // The file and the clock disagree on the rule in effect: the last type with that offset.
  for (let k = n - 1; k >= 0; k--) {
    const t = types[transitionTypes[k] as number];
    if (t !== undefined && t.utoff === utoff) return t.abbreviation;
  }
  return types.find((t) => t.utoff === utoff)?.abbreviation;
}

/** 0 → "UTC"; otherwise tzdata's numeric style: "+05", "+0530", "-03". */
export function numericZoneName(utoff: number): string {
  if (utoff === 0) return 'UTC';
  const abs = Math.abs(utoff);
  const hh = String(Math.floor(abs / 3600)).padStart(2, '0');
  const mm = Math.floor((abs % 3600) / 60);
  return `${utoff < 0 ? '-' : '+'}${hh}${mm === 0 ? '' : String(mm).padStart(2, '0')}`;
}
