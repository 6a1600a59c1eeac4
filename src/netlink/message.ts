import { ParseError } from '../procfs/parse-error.js';

/**
 * Netlink framing (linux/netlink.h), as pure functions over the raw datagrams the addon's
 * netlinkDump returns: nlmsghdr splitting and rtattr/nlattr walking. Host byte order is
 * little-endian on every platform we ship (x86_64, arm64).
 */
export const NLMSG_HDRLEN = 16;
export const NLMSG_NOOP = 1;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;

export interface NetlinkMessage {
  type: number;
  flags: number;
  seq: number;
  pid: number;
  /** The payload after the header (a view into the datagram). */
  data: Buffer;
}

/** A netlink attribute: rtattr and nlattr share the layout (u16 length, u16 type, value, pad to 4). */
export interface NetlinkAttribute {
  /** The type without nlattr's NESTED / NET_BYTEORDER bits. */
  type: number;
  data: Buffer;
}

const align4 = (n: number) => (n + 3) & ~3;
// nlattr's top two type bits are flags (NLA_F_NESTED, NLA_F_NET_BYTEORDER); rtattr never sets them.
const NLA_TYPE_MASK = 0x3fff;

/** Splits one datagram into its messages; a header that overruns the datagram is malformed. */
export function splitMessages(datagram: Buffer): NetlinkMessage[] {
  const out: NetlinkMessage[] = [];
  let at = 0;
  while (at + NLMSG_HDRLEN <= datagram.length) {
    const len = datagram.readUInt32LE(at);
    if (len < NLMSG_HDRLEN || at + len > datagram.length) {
      throw new ParseError(`netlink message at byte ${at}: length ${len} outside the ${datagram.length}-byte datagram`);
    }
    out.push({
      type: datagram.readUInt16LE(at + 4),
      flags: datagram.readUInt16LE(at + 6),
      seq: datagram.readUInt32LE(at + 8),
      pid: datagram.readUInt32LE(at + 12),
      data: datagram.subarray(at + NLMSG_HDRLEN, at + len),
    });
    at += align4(len);
  }
  if (at < datagram.length) throw new ParseError(`netlink datagram: ${datagram.length - at} trailing bytes, too few for a header`);
  return out;
}

/** A dump ended by NLMSG_ERROR: the kernel's errno (positive). */
export class NetlinkError extends Error {
  override readonly name = 'NetlinkError';
  constructor(readonly errno: number) {
    super(`netlink: the kernel answered with error ${errno}`);
  }
}

/** The data messages of a whole dump, in order, up to NLMSG_DONE; NLMSG_ERROR throws. */
export function dumpMessages(datagrams: readonly Buffer[]): NetlinkMessage[] {
  const out: NetlinkMessage[] = [];
  for (const d of datagrams) {
    for (const m of splitMessages(d)) {
      if (m.type === NLMSG_DONE) return out;
      if (m.type === NLMSG_NOOP) continue;
      if (m.type === NLMSG_ERROR) {
        if (m.data.length < 4) throw new ParseError(`netlink error message: ${m.data.length} bytes, want 4 or more`);
        const status = m.data.readInt32LE(0);
        if (status !== 0) throw new NetlinkError(-status);
        return out;
      }
      out.push(m);
    }
  }
  return out;
}

/** Walks the attributes in `buf` (a message's tail after its fixed header, or a nested attribute's value). */
export function parseAttributes(buf: Buffer): NetlinkAttribute[] {
  const out: NetlinkAttribute[] = [];
  forEachAttribute(buf, (type, start, end) => out.push({ type, data: buf.subarray(start, end) }));
  return out;
}

/**
 * The same walk with no object per attribute: `visit` gets each attribute's type and the byte
 * range of its value in `buf`, for a parser that uses a few of many attributes (a link message
 * carries about fifty).
 */
export function forEachAttribute(buf: Buffer, visit: (type: number, start: number, end: number) => void): void {
  let at = 0;
  while (at + 4 <= buf.length) {
    const len = buf.readUInt16LE(at);
    if (len < 4 || at + len > buf.length) throw new ParseError(`netlink attribute at byte ${at}: length ${len} outside ${buf.length} bytes`);
    visit(buf.readUInt16LE(at + 2) & NLA_TYPE_MASK, at + 4, at + len);
    at += align4(len);
  }
  if (at < buf.length) throw new ParseError(`netlink attributes: ${buf.length - at} trailing bytes, too few for an attribute`);
}

/** A NUL-terminated string attribute. */
export function attrString(data: Buffer): string {
  const nul = data.indexOf(0);
  return data.toString('utf8', 0, nul < 0 ? data.length : nul);
}

/** An unsigned integer attribute of 1, 2, 4 or 8 bytes (8-byte values above 2^53 lose precision, as every float counter). */
export function attrUint(data: Buffer, what: string): number {
  switch (data.length) {
    case 1:
      return data.readUInt8(0);
    case 2:
      return data.readUInt16LE(0);
    case 4:
      return data.readUInt32LE(0);
    case 8:
      return Number(data.readBigUInt64LE(0));
    default:
      throw new ParseError(`${what}: ${data.length}-byte integer attribute`);
  }
}

/** Builds one attribute (for requests, and for tests that build replies). */
export function encodeAttribute(type: number, data: Buffer): Buffer {
  const out = Buffer.alloc(align4(4 + data.length));
  out.writeUInt16LE(4 + data.length, 0);
  out.writeUInt16LE(type, 2);
  data.copy(out, 4);
  return out;
}

/** Builds one message with its header (tests build reply datagrams from these). */
export function encodeMessage(type: number, flags: number, seq: number, payload: Buffer): Buffer {
  const out = Buffer.alloc(align4(NLMSG_HDRLEN + payload.length));
  out.writeUInt32LE(NLMSG_HDRLEN + payload.length, 0);
  out.writeUInt16LE(type, 4);
  out.writeUInt16LE(flags, 6);
  out.writeUInt32LE(seq, 8);
  payload.copy(out, NLMSG_HDRLEN);
  return out;
}
