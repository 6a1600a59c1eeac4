/**
 * The 48-byte NTP (RFC 5905) packet header and the SNTP arithmetic a single client query needs,
 * as upstream's ntp library does it. Pure: no sockets, no clocks. Timestamps stay raw 64-bit
 * 32.32 fixed point (bigint) until the end, so differences wrap the way NTP's era arithmetic
 * expects; durations and instants come out as nanoseconds (bigint), like Go's time values.
 */

export const NTP_HEADER_SIZE = 48;

/** The client's and server's association modes (the only two a query involves). */
export const MODE_CLIENT = 3;
export const MODE_SERVER = 4;

export const LEAP_NONE = 0;
export const LEAP_ADD_SECOND = 1;
export const LEAP_DEL_SECOND = 2;
export const LEAP_NOT_IN_SYNC = 3;

export const NS_PER_SECOND = 1_000_000_000n;
const U64 = (1n << 64n) - 1n;
const U32 = (1n << 32n) - 1n;
/** Unix nanoseconds of NTP era 0's start (1900-01-01) and era 1's (2036-02-07T06:28:16Z). */
const ERA0_UNIX_NS = -2_208_988_800n * NS_PER_SECOND;
const ERA1_UNIX_NS = 2_085_978_496n * NS_PER_SECOND;
/** 1970-01-01 as an era-0 timestamp: anything below it is read as era 1 (2036 on). */
const UNIX_EPOCH_NTP = 0x83aa7e80n << 32n;
const MAX_STRATUM = 16;
/** RFC 5905's MAXDISP (16 s) and the longest poll interval, 2^17 s (~36 h). */
const MAX_DISPERSION_NS = 16n * NS_PER_SECOND;
const MAX_POLL_INTERVAL_NS = (1n << 17n) * NS_PER_SECOND;

export interface NtpHeader {
  leap: number;
  version: number;
  mode: number;
  stratum: number;
  poll: number;
  precision: number;
  /** 16.16 fixed point seconds, raw. */
  rootDelay: number;
  rootDispersion: number;
  /** For stratum 0 (kiss-of-death) replies, four ASCII letters: the kiss code. */
  referenceId: number;
  referenceTime: bigint;
  originTime: bigint;
  receiveTime: bigint;
  transmitTime: bigint;
}

/** A reply that cannot be used at all (too short, wrong mode, not an answer to our query). */
export class NtpPacketError extends Error {
  override readonly name = 'NtpPacketError';
}

export function encodeHeader(h: NtpHeader): Buffer {
  const b = Buffer.alloc(NTP_HEADER_SIZE);
  b.writeUInt8(((h.leap & 3) << 6) | ((h.version & 7) << 3) | (h.mode & 7), 0);
  b.writeUInt8(h.stratum, 1);
  b.writeInt8(h.poll, 2);
  b.writeInt8(h.precision, 3);
  b.writeUInt32BE(h.rootDelay, 4);
  b.writeUInt32BE(h.rootDispersion, 8);
  b.writeUInt32BE(h.referenceId, 12);
  b.writeBigUInt64BE(h.referenceTime, 16);
  b.writeBigUInt64BE(h.originTime, 24);
  b.writeBigUInt64BE(h.receiveTime, 32);
  b.writeBigUInt64BE(h.transmitTime, 40);
  return b;
}

/** Reads the header; bytes beyond it (extension fields, a MAC) are ignored, as upstream does. */
export function decodeHeader(b: Uint8Array): NtpHeader {
  if (b.length < NTP_HEADER_SIZE) {
    throw new NtpPacketError(`short reply: ${b.length} bytes, an NTP header has ${NTP_HEADER_SIZE}`);
  }
  const buf = Buffer.from(b.buffer, b.byteOffset, b.length);
  const first = buf.readUInt8(0);
  return {
    leap: first >> 6,
    version: (first >> 3) & 7,
    mode: first & 7,
    stratum: buf.readUInt8(1),
    poll: buf.readInt8(2),
    precision: buf.readInt8(3),
    rootDelay: buf.readUInt32BE(4),
    rootDispersion: buf.readUInt32BE(8),
    referenceId: buf.readUInt32BE(12),
    referenceTime: buf.readBigUInt64BE(16),
    originTime: buf.readBigUInt64BE(24),
    receiveTime: buf.readBigUInt64BE(32),
    transmitTime: buf.readBigUInt64BE(40),
  };
}

/**
 * A client query. Its transmit timestamp is a random nonce, not the clock (upstream's choice,
 * against fingerprinting): the reply must echo it as its origin timestamp.
 */
export function buildQuery(version: number, nonce: bigint): Buffer {
  return encodeHeader({
    leap: LEAP_NONE,
    version,
    mode: MODE_CLIENT,
    stratum: 0,
    poll: 0,
    precision: 0x20,
    rootDelay: 0,
    rootDispersion: 0,
    referenceId: 0,
    referenceTime: 0n,
    originTime: 0n,
    receiveTime: 0n,
    transmitTime: nonce & U64,
  });
}

/** The checks that make a reply unusable rather than merely insane (upstream's query errors). */
export function checkReply(h: NtpHeader, nonce: bigint): void {
  if (h.mode !== MODE_SERVER) throw new NtpPacketError(`invalid mode ${h.mode} in reply (want ${MODE_SERVER}, server)`);
  if (h.transmitTime === 0n) throw new NtpPacketError('invalid transmit time 0 in reply');
  if (h.originTime !== nonce) throw new NtpPacketError("reply's origin timestamp does not match the query");
  if (h.receiveTime > h.transmitTime) throw new NtpPacketError('server clock ticked backwards (receive time after transmit time)');
}

/** Unix nanoseconds → NTP timestamp, rounding the fraction to nearest; wraps into the next era. */
export function toNtpTime(unixNs: bigint): bigint {
  const ns = (unixNs - ERA0_UNIX_NS) & U64;
  const sec = ns / NS_PER_SECOND;
  const scaled = (ns - sec * NS_PER_SECOND) << 32n;
  let frac = scaled / NS_PER_SECOND;
  if (scaled % NS_PER_SECOND >= NS_PER_SECOND / 2n) frac++;
  return ((sec << 32n) | frac) & U64;
}

/** A 32.32 value read as elapsed time, in nanoseconds rounded to nearest. */
export function ntpDurationNs(t: bigint): bigint {
  const frac = (t & U32) * NS_PER_SECOND;
  return (t >> 32n) * NS_PER_SECOND + (frac >> 32n) + ((frac & U32) >= 0x80000000n ? 1n : 0n);
}

/** A 16.16 value (root delay, root dispersion) in nanoseconds rounded to nearest. */
export function shortDurationNs(t: number): bigint {
  const v = BigInt(t >>> 0);
  const frac = (v & 0xffffn) * NS_PER_SECOND;
  return (v >> 16n) * NS_PER_SECOND + (frac >> 16n) + ((frac & 0xffffn) >= 0x8000n ? 1n : 0n);
}

/** An NTP timestamp as Unix nanoseconds: era 1 when it would fall before 1970, else era 0. */
export function ntpToUnixNs(t: bigint): bigint {
  return (t < UNIX_EPOCH_NTP ? ERA1_UNIX_NS : ERA0_UNIX_NS) + ntpDurationNs(t);
}

/** Two's-complement reading of a 64-bit difference. */
function signed64(v: bigint): bigint {
  return BigInt.asIntN(64, v & U64);
}

/** What one reply says, with the client's own send/receive instants folded in. Nanoseconds. */
export interface NtpResponse {
  leap: number;
  stratum: number;
  kissCode: string;
  /** The server's transmit time, Unix ns. */
  timeNs: bigint;
  referenceTimeNs: bigint;
  offsetNs: bigint;
  rttNs: bigint;
  rootDelayNs: bigint;
  rootDispersionNs: bigint;
  /** rtt/2 + root delay/2 + root dispersion: the whole error budget to the primary server. */
  rootDistanceNs: bigint;
  /** The larger causality violation between the two timestamp pairs (0 when there is none). */
  minErrorNs: bigint;
}

/**
 * Folds a checked reply with the client's send (`sentUnixNs`) and receive instants into the
 * response upstream computes. The reply's origin field (our nonce) is replaced by the real send
 * time first.
 */
export function interpretReply(h: NtpHeader, sentUnixNs: bigint, receivedUnixNs: bigint): NtpResponse {
  const org = toNtpTime(sentUnixNs);
  const dst = toNtpTime(receivedUnixNs);
  const { receiveTime: rec, transmitTime: xmt } = h;
  const rtt = signed64(dst - org) - signed64(xmt - rec);
  const a = signed64(rec - org);
  const b = signed64(xmt - dst);
  // BigInt division truncates toward zero, as Go's integer division does.
  const offset = a + (b - a) / 2n;
  const error0 = org >= rec ? org - rec : 0n;
  const error1 = xmt >= dst ? xmt - dst : 0n;
  const rttNs = rtt < 0n ? 0n : ntpDurationNs(rtt & U64);
  const rootDelayNs = shortDurationNs(h.rootDelay);
  const rootDispersionNs = shortDurationNs(h.rootDispersion);
  return {
    leap: h.leap,
    stratum: h.stratum,
    kissCode: h.stratum === 0 ? kissCode(h.referenceId) : '',
    timeNs: ntpToUnixNs(xmt),
    referenceTimeNs: ntpToUnixNs(h.referenceTime),
    offsetNs: offset < 0n ? -ntpDurationNs(-offset) : ntpDurationNs(offset),
    rttNs,
    rootDelayNs,
    rootDispersionNs,
    rootDistanceNs: (rttNs + rootDelayNs) / 2n + rootDispersionNs,
    minErrorNs: ntpDurationNs(error0 > error1 ? error0 : error1),
  };
}

/** The reference ID as four printable ASCII letters, or '' when it is not one. */
export function kissCode(id: number): string {
  const bytes = [id >>> 24, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff];
  return bytes.every((c) => c >= 32 && c <= 126) ? String.fromCharCode(...bytes) : '';
}

/**
 * Why the response is unfit to set a clock by (the library's validity rules, in its order), or
 * undefined when it is fit.
 */
export function invalidReason(r: NtpResponse): string | undefined {
  if (r.stratum === 0) return `kiss of death received${r.kissCode === '' ? '' : ` (${r.kissCode})`}`;
  if (r.stratum >= MAX_STRATUM) return `invalid stratum ${r.stratum}`;
  if (r.timeNs - r.referenceTimeNs > MAX_POLL_INTERVAL_NS) return 'server clock not fresh';
  if (r.rootDelayNs / 2n + r.rootDispersionNs > MAX_DISPERSION_NS) return 'invalid dispersion';
  if (r.timeNs < r.referenceTimeNs) return 'transmit time before reference time';
  if (r.leap === LEAP_NOT_IN_SYNC) return 'leap indicator says not in sync';
  return undefined;
}

/** Nanoseconds as float seconds the way Go's Duration.Seconds() rounds them. */
export function nsToSeconds(ns: bigint): number {
  const sec = ns / NS_PER_SECOND;
  return Number(sec) + Number(ns - sec * NS_PER_SECOND) / 1e9;
}
