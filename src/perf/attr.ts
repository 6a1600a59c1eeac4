/**
 * struct perf_event_attr encoding and counter-read decoding (linux/perf_event.h), pure, for
 * the perf collector. Work in progress: the addon has no perf_event_open primitive yet.
 */
import { ParseError } from '../procfs/parse-error.js';

export const PERF_TYPE_HARDWARE = 0;
export const PERF_TYPE_SOFTWARE = 1;
export const PERF_TYPE_HW_CACHE = 3;

/** PERF_ATTR_SIZE_VER5: every field up to sample_max_stack; kernels since 4.8 take it. */
export const PERF_ATTR_SIZE = 112;

export const PERF_FORMAT_TOTAL_TIME_ENABLED = 1;
export const PERF_FORMAT_TOTAL_TIME_RUNNING = 2;

/** Attribute flag bits (the u64 bitfield after read_format). */
const ATTR_DISABLED = 1n << 0n;
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
}

/** A perf_event_attr buffer counting in kernel and user mode, with enabled/running times. */
export function encodeAttr(attr: PerfAttr): Buffer {
  const b = Buffer.alloc(PERF_ATTR_SIZE);
  b.writeUInt32LE(attr.type, 0);
  b.writeUInt32LE(PERF_ATTR_SIZE, 4);
  b.writeBigUInt64LE(BigInt(attr.config), 8);
  b.writeBigUInt64LE(BigInt(PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING), 32);
  b.writeBigUInt64LE((attr.disabled === true ? ATTR_DISABLED : 0n) | ATTR_EXCLUDE_HV, 40);
  return b;
}

export interface CounterRead {
  value: number;
  enabledNs: number;
  runningNs: number;
}

/** The 24 bytes read(2) gives for the read_format above: value, time enabled, time running. */
export function parseCounterRead(buf: Buffer): CounterRead {
  if (buf.length < 24) throw new ParseError(`perf counter read: ${buf.length} bytes, want 24`);
  return {
    value: Number(buf.readBigUInt64LE(0)),
    enabledNs: Number(buf.readBigUInt64LE(8)),
    runningNs: Number(buf.readBigUInt64LE(16)),
  };
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
