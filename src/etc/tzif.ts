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

/** The index of the last transition at or before `seconds` (the first is at or before it). */
function lastTransition(transitions: readonly number[], seconds: number): number {
  let lo = 0;
  let hi = transitions.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((transitions[mid] as number) <= seconds) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A POSIX TZ transition rule: the day (one of three forms) and the local time of day. */
interface TzRule {
  /** 'J': day 1-365, February 29 never counted; 'D': day 0-365, counted; 'M': month, week, weekday. */
  kind: 'J' | 'D' | 'M';
  day: number;
  month: number;
  week: number;
  /** Seconds after local midnight (may be negative or past 24 h in TZif version 3). */
  time: number;
}

/** "M3.5.0", "J60", "59", each with an optional "/time" (02:00:00 when absent). */
function parseRule(s: string): TzRule | undefined {
  const m = /^(?:J(\d{1,3})|(\d{1,3})|M(\d{1,2})\.(\d)\.(\d))(?:\/([+-]?)(\d{1,3})(?::(\d{1,2}))?(?::(\d{1,2}))?)?$/.exec(s);
  if (m === null) return undefined;
  const sign = m[6] === '-' ? -1 : 1;
  const time = m[7] === undefined ? 7200 : sign * (Number(m[7]) * 3600 + Number(m[8] ?? 0) * 60 + Number(m[9] ?? 0));
  if (m[1] !== undefined) {
    const day = Number(m[1]);
    return day >= 1 && day <= 365 ? { kind: 'J', day, month: 0, week: 0, time } : undefined;
  }
  if (m[2] !== undefined) {
    const day = Number(m[2]);
    return day <= 365 ? { kind: 'D', day, month: 0, week: 0, time } : undefined;
  }
  const month = Number(m[3]);
  const week = Number(m[4]);
  const day = Number(m[5]);
  return month >= 1 && month <= 12 && week >= 1 && week <= 5 && day <= 6 ? { kind: 'M', day, month, week, time } : undefined;
}

const DAY = 86400;
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Seconds from the start of `year` (UTC) to the rule's moment, with local time `utoff` east of UTC. */
function ruleSeconds(year: number, r: TzRule, utoff: number): number {
  let day: number;
  if (r.kind === 'J') day = r.day - 1 + (isLeap(year) && r.day >= 60 ? 1 : 0);
  else if (r.kind === 'D') day = r.day;
  else {
    const first = Date.UTC(year, r.month - 1, 1);
    const firstWeekday = new Date(first).getUTCDay();
    const daysInMonth = new Date(Date.UTC(year, r.month, 0)).getUTCDate();
    // The month's first such weekday, then later weeks; week 5 is the last one in the month.
    let dom = 1 + ((r.day - firstWeekday + 7) % 7) + 7 * (r.week - 1);
    while (dom > daysInMonth) dom -= 7;
    day = (first - Date.UTC(year, 0, 1)) / 1000 / DAY + dom - 1;
  }
  return day * DAY + r.time - utoff;
}

/** A zone at one moment: seconds east of UTC and the abbreviation ("CET", "CEST", "+0530"). */
export interface ZoneAt {
  readonly utoff: number;
  readonly name: string;
}

/**
 * The offset and name a POSIX TZ string gives at `seconds` since the epoch, as Go's time package
 * works them out for times after a TZif file's last transition: no daylight saving part, the
 * standard time; a daylight saving part without rules, the US rules (M3.2.0,M11.1.0); otherwise
 * daylight saving time from the start rule to the end rule of the (UTC) year, or outside them
 * when the end comes first in the year (the southern hemisphere, or Ireland's negative DST).
 * Undefined for a string it cannot read.
 */
export function tzStringZone(tz: string, seconds: number): ZoneAt | undefined {
  const names = tzStringNames(tz);
  if (names === undefined) return undefined;
  if (names.dst === undefined) return names.std;
  const comma = tz.search(/[,;]/);
  const rules = comma === -1 ? ['M3.2.0', 'M11.1.0'] : tz.slice(comma + 1).split(',');
  if (rules.length !== 2) return undefined;
  const start = parseRule(rules[0] as string);
  const end = parseRule(rules[1] as string);
  if (start === undefined || end === undefined) return undefined;
  const year = new Date(seconds * 1000).getUTCFullYear();
  const intoYear = seconds - Date.UTC(year, 0, 1) / 1000;
  // The start is written in standard time, the end in daylight saving time.
  const from = ruleSeconds(year, start, names.std.utoff);
  const to = ruleSeconds(year, end, names.dst.utoff);
  const dst = from <= to ? intoYear >= from && intoYear < to : !(intoYear >= to && intoYear < from);
  return dst ? names.dst : names.std;
}

/**
 * The zone's offset and name at `seconds` since the epoch, from the file alone, as Go's
 * time.Now().Zone() finds them: with no transitions the footer's rules (or the first type);
 * before the first transition the first standard-time type; from the last one on, the footer's
 * rules when it has readable ones; otherwise the type of the last transition at or before
 * `seconds`.
 */
export function tzifZone(tz: Tzif, seconds: number): ZoneAt {
  const { transitions, transitionTypes, types } = tz;
  const n = transitions.length;
  const ofType = (t: TzifType | undefined): ZoneAt => (t === undefined ? { utoff: 0, name: 'UTC' } : { utoff: t.utoff, name: t.abbreviation });
  // A fixed zone ("Etc/GMT-3") has no transitions: its footer for all time, else its first type.
  if (n === 0) return (tz.footer === '' ? undefined : tzStringZone(tz.footer, seconds)) ?? ofType(types[0]);
  const first = types.find((x) => !x.isdst) ?? types[0];
  if (seconds < (transitions[0] as number)) return ofType(first);
  if (seconds >= (transitions[n - 1] as number) && tz.footer !== '') {
    const fromFooter = tzStringZone(tz.footer, seconds);
    if (fromFooter !== undefined) return fromFooter;
  }
  return ofType(types[transitionTypes[lastTransition(transitions, seconds)] as number] ?? first);
}
