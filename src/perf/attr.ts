/**
 * struct perf_event_attr encoding and counter-read decoding (linux/perf_event.h), pure, for
 * the perf collector. The attribute set is the one node_exporter's perf library opens with, so
 * counts mean the same: kernel and user mode, not the hypervisor, inherited by new tasks.
 */
import { ParseError } from '../procfs/parse-error.js';

export const PERF_TYPE_HARDWARE = 0;
export const PERF_TYPE_SOFTWARE = 1;
export const PERF_TYPE_TRACEPOINT = 2;
export const PERF_TYPE_HW_CACHE = 3;

/** PERF_ATTR_SIZE_VER5: every field up to sample_max_stack; kernels since 4.8 take it. */
export const PERF_ATTR_SIZE = 112;

export const PERF_FORMAT_TOTAL_TIME_ENABLED = 1;
export const PERF_FORMAT_TOTAL_TIME_RUNNING = 2;
export const PERF_FORMAT_GROUP = 8;
/** Only matters for sampling; set because upstream's attributes carry it. */
const PERF_SAMPLE_IDENTIFIER = 1n << 16n;

/** Attribute flag bits (the u64 bitfield after read_format). */
const ATTR_DISABLED = 1n << 0n;
const ATTR_INHERIT = 1n << 1n;
const ATTR_EXCLUDE_HV = 1n << 6n;

/** config of a PERF_TYPE_HW_CACHE event: cache id | op << 8 | result << 16. */
export function cacheConfig(cache: number, op: number, result: number): number {
  return cache | (op << 8) | (result << 16);
}

export interface PerfAttr {
  type: number;
  config: number;
  /** Open disabled (enabled later by ioctl) instead of counting at once. */
  disabled?: boolean;
  /** Also count tasks created after the event was opened (single counters, not groups). */
  inherit?: boolean;
  /** Read the whole group through this (leader's) fd: PERF_FORMAT_GROUP. */
  group?: boolean;
}

/** A perf_event_attr buffer with enabled/running times in its read format. */
export function encodeAttr(attr: PerfAttr): Buffer {
  const b = Buffer.alloc(PERF_ATTR_SIZE);
  b.writeUInt32LE(attr.type, 0);
  b.writeUInt32LE(PERF_ATTR_SIZE, 4);
  b.writeBigUInt64LE(BigInt(attr.config), 8);
  b.writeBigUInt64LE(PERF_SAMPLE_IDENTIFIER, 24);
  const format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING | (attr.group === true ? PERF_FORMAT_GROUP : 0);
  b.writeBigUInt64LE(BigInt(format), 32);
  let bits = ATTR_EXCLUDE_HV;
  if (attr.disabled === true) bits |= ATTR_DISABLED;
  if (attr.inherit === true) bits |= ATTR_INHERIT;
  b.writeBigUInt64LE(bits, 40);
  return b;
}

export interface CounterRead {
  value: number;
  enabledNs: number;
  runningNs: number;
}

/** The 24 bytes read(2) gives for a single counter: value, time enabled, time running. */
export function parseCounterRead(buf: Buffer): CounterRead {
  if (buf.length < 24) throw new ParseError(`perf counter read: ${buf.length} bytes, want 24`);
  return {
    value: Number(buf.readBigUInt64LE(0)),
    enabledNs: Number(buf.readBigUInt64LE(8)),
    runningNs: Number(buf.readBigUInt64LE(16)),
  };
}

/** Bytes a group read gives for `n` members: nr, time enabled, time running, n values. */
export function groupReadSize(n: number): number {
  return 24 + 8 * n;
}

/** A PERF_FORMAT_GROUP read: the members' values in the order they joined the group. */
export function parseGroupRead(buf: Buffer, want: number): number[] {
  if (buf.length < 24) throw new ParseError(`perf group read: ${buf.length} bytes, want at least 24`);
  const nr = Number(buf.readBigUInt64LE(0));
  if (nr !== want) throw new ParseError(`perf group read: ${nr} members, want ${want}`);
  if (buf.length < groupReadSize(nr)) throw new ParseError(`perf group read: ${buf.length} bytes for ${nr} members`);
  const out: number[] = [];
  for (let i = 0; i < nr; i++) out.push(Number(buf.readBigUInt64LE(24 + 8 * i)));
  return out;
}

/**
 * --collector.perf.cpus: "" (every CPU), a list "0,2", a range "1-3", or a range with a
 * stride "0-6:2", as upstream accepts. Throws on anything else.
 */
export function parseCpuList(text: string, onlineCpus: number): number[] {
  if (text === '') return Array.from({ length: onlineCpus }, (_, i) => i);
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part);
    if (m === null) throw new ParseError(`bad perf cpu list element ${JSON.stringify(part)}`);
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (end < start || step < 1) throw new ParseError(`bad perf cpu range ${JSON.stringify(part)}`);
    for (let c = start; c <= end; c += step) out.push(c);
  }
  return out;
}
