import { parseUint64 } from './nfs-rpc.js';
import { ParseError } from './parse-error.js';

/**
 * /proc/<pid>/mountstats: a "device X mounted on Y with fstype T [statvers=V]" line per mount;
 * NFS mounts follow it with an indented block (opts, age, events, bytes, xprt, per-op
 * statistics) ended by a blank line. Only NFS mounts carry a statvers and a block.
 */

export interface NfsTransportStats {
  protocol: string;
  port: number;
  bind: number;
  connect: number;
  connectIdleTime: number;
  /** bigint: upstream reports it modulo 2^53, which needs the exact value. */
  idleTimeSeconds: bigint;
  sends: number;
  receives: number;
  badTransactionIds: number;
  cumulativeActiveRequests: number;
  cumulativeBacklog: number;
  maximumRpcSlotsUsed: number;
  cumulativeSendingQueue: number;
  cumulativePendingQueue: number;
}

export interface NfsOperationStats {
  operation: string;
  requests: number;
  transmissions: number;
  majorTimeouts: number;
  bytesSent: number;
  bytesReceived: number;
  /** Milliseconds, exact (bigint) because upstream reports them modulo 2^53. */
  queueMilliseconds: bigint;
  responseMilliseconds: bigint;
  requestMilliseconds: bigint;
}

/** The "events:" counters in the kernel's order (nfs_iostat.h); congestion_wait is not exported. */
export const NFS_EVENT_NAMES = [
  'inode_revalidate',
  'dnode_revalidate',
  'data_invalidate',
  'attribute_invalidate',
  'vfs_open',
  'vfs_lookup',
  'vfs_access',
  'vfs_update_page',
  'vfs_read_page',
  'vfs_read_pages',
  'vfs_write_page',
  'vfs_write_pages',
  'vfs_getdents',
  'vfs_setattr',
  'vfs_flush',
  'vfs_fsync',
  'vfs_lock',
  'vfs_file_release',
  'congestion_wait',
  'truncation',
  'write_extension',
  'silly_rename',
  'short_read',
  'short_write',
  'jukebox_delay',
  'pnfs_read',
  'pnfs_write',
] as const;

/** The "bytes:" counters in the kernel's order. */
export const NFS_BYTES_NAMES = ['read', 'write', 'direct_read', 'direct_write', 'total_read', 'total_write', 'read_pages', 'write_pages'] as const;

export interface NfsMountStats {
  statVersion: string;
  ageSeconds: number;
  /** NFS_BYTES_NAMES → value; all 0 when the line is absent. */
  bytes: Map<string, number>;
  /** NFS_EVENT_NAMES → value; all 0 when the line is absent. */
  events: Map<string, number>;
  transports: NfsTransportStats[];
  operations: NfsOperationStats[];
}

export interface MountStatsEntry {
  device: string;
  mountPoint: string;
  fsType: string;
  /** Present for NFS mounts (the line has a statvers). */
  nfs?: NfsMountStats;
}

/** Values after the protocol on an "xprt:" line, by stats version and protocol. */
const TRANSPORT_LENGTHS: Record<string, Record<string, number>> = {
  '1.0': { tcp: 10, udp: 7 },
  '1.1': { tcp: 13, udp: 10, rdma: 20 },
};

function parseTransport(fields: string[], version: string, line: string, lineNumber: number): NfsTransportStats {
  const [protocol = '', ...rest] = fields;
  const want = TRANSPORT_LENGTHS[version];
  if (want === undefined) throw new ParseError(`unknown mountstats statvers ${JSON.stringify(version)}`, line, lineNumber);
  const length = want[protocol];
  if (length === undefined) throw new ParseError(`unknown NFS transport protocol ${JSON.stringify(protocol)}`, line, lineNumber);
  if (protocol === 'rdma' ? rest.length < length : rest.length !== length) {
    throw new ParseError(`xprt ${protocol} line has ${rest.length} values, want ${length}`, line, lineNumber);
  }
  for (const [i, v] of rest.entries()) parseUint64(v, `xprt value ${i + 1}`, line, lineNumber);
  // UDP has no connection: its line lacks connect count, connect idle time and idle time.
  const raw = protocol === 'udp' ? [rest[0], rest[1], '0', '0', '0', ...rest.slice(2)] : rest;
  const at = (i: number): number => Number(raw[i] ?? '0');
  // RDMA's fields after the backlog are RDMA-specific, not the slot and queue counters.
  const queues = protocol === 'rdma' ? [0, 0, 0] : [at(10), at(11), at(12)];
  return {
    protocol,
    port: at(0),
    bind: at(1),
    connect: at(2),
    connectIdleTime: at(3),
    idleTimeSeconds: BigInt(raw[4] ?? '0'),
    sends: at(5),
    receives: at(6),
    badTransactionIds: at(7),
    cumulativeActiveRequests: at(8),
    cumulativeBacklog: at(9),
    maximumRpcSlotsUsed: queues[0] ?? 0,
    cumulativeSendingQueue: queues[1] ?? 0,
    cumulativePendingQueue: queues[2] ?? 0,
  };
}

function parseOperation(fields: string[], line: string, lineNumber: number): NfsOperationStats {
  if (fields.length < 9) throw new ParseError(`per-op line has ${fields.length} fields, want at least 9`, line, lineNumber);
  const [name = '', ...values] = fields;
  values.forEach((v, i) => parseUint64(v, `per-op value ${i + 1}`, line, lineNumber));
  const n = (i: number): number => Number(values[i]);
  const big = (i: number): bigint => BigInt(values[i] ?? '0');
  return {
    operation: name.endsWith(':') ? name.slice(0, -1) : name,
    requests: n(0),
    transmissions: n(1),
    majorTimeouts: n(2),
    bytesSent: n(3),
    bytesReceived: n(4),
    queueMilliseconds: big(5),
    responseMilliseconds: big(6),
    requestMilliseconds: big(7),
  };
}

function namedValues(names: readonly string[], values: string[], what: string, line: string, lineNumber: number): Map<string, number> {
  if (values.length !== names.length) {
    throw new ParseError(`${what} line has ${values.length} values, want ${names.length}`, line, lineNumber);
  }
  return new Map(names.map((name, i) => [name, parseUint64(values[i], `${what} value ${name}`, line, lineNumber)]));
}

export function parseMountStats(text: string): MountStatsEntry[] {
  const lines = text.split('\n');
  const mounts: MountStatsEntry[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const lineNumber = ++i;
    const f = line
      .trim()
      .split(/\s+/)
      .filter((x) => x !== '');
    if (f[0] !== 'device') continue;
    if (f.length < 8 || f[2] !== 'mounted' || f[3] !== 'on' || f[5] !== 'with' || f[6] !== 'fstype') {
      throw new ParseError('invalid mountstats device line', line, lineNumber);
    }
    const entry: MountStatsEntry = { device: f[1] ?? '', mountPoint: f[4] ?? '', fsType: f[7] ?? '' };
    mounts.push(entry);
    if (f.length === 8) continue;
    if (entry.fsType !== 'nfs' && entry.fsType !== 'nfs4') {
      throw new ParseError(`statistics for fstype ${JSON.stringify(entry.fsType)} cannot be parsed`, line, lineNumber);
    }
    const version = (f[8] ?? '').replace(/^statvers=/, '');
    const stats: NfsMountStats = {
      statVersion: version,
      ageSeconds: 0,
      bytes: new Map(NFS_BYTES_NAMES.map((n) => [n, 0])),
      events: new Map(NFS_EVENT_NAMES.map((n) => [n, 0])),
      transports: [],
      operations: [],
    };
    entry.nfs = stats;
    let perOp = false;
    for (; i < lines.length; ) {
      const l = lines[i] ?? '';
      const ln = ++i;
      const g = l
        .trim()
        .split(/\s+/)
        .filter((x) => x !== '');
      if (g.length === 0) break;
      if (perOp) {
        stats.operations.push(parseOperation(g, l, ln));
        continue;
      }
      const [key, ...rest] = g as [string, ...string[]];
      if (key === 'per-op') {
        perOp = true;
        continue;
      }
      const known = ['age:', 'bytes:', 'events:', 'xprt:'].includes(key);
      if (known && rest.length === 0) throw new ParseError(`mountstats ${key} line has no values`, l, ln);
      if (key === 'age:') {
        if (!/^(\d+\.?\d*|\.\d+)$/.test(rest[0] ?? '')) throw new ParseError('invalid mountstats age', l, ln);
        stats.ageSeconds = Number(rest[0]);
      } else if (key === 'bytes:') {
        stats.bytes = namedValues(NFS_BYTES_NAMES, rest, 'bytes', l, ln);
      } else if (key === 'events:') {
        stats.events = namedValues(NFS_EVENT_NAMES, rest, 'events', l, ln);
      } else if (key === 'xprt:') {
        if (rest.length < 2) throw new ParseError('mountstats xprt line is incomplete', l, ln);
        stats.transports.push(parseTransport(rest, version, l, ln));
      }
    }
  }
  return mounts;
}
