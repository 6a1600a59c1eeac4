import { ParseError } from './parse-error.js';

/**
 * /proc/net/rpc/nfs (client) and /proc/net/rpc/nfsd (server): one "label v1 v2 ..." line per
 * group of counters. Procedure lines ("proc3 22 ...") start with how many counters follow.
 * A line that is absent leaves its counters at 0, as node_exporter reports them.
 */

/** One procedure counter: the name node_exporter gives it (its `method` label) and the value. */
export type ProcedureCount = readonly [name: string, value: number];

export interface NfsNetwork {
  netCount: number;
  udpCount: number;
  tcpCount: number;
  tcpConnect: number;
}

export interface NfsClientStats {
  network: NfsNetwork;
  rpc: { rpcCount: number; retransmissions: number; authRefreshes: number };
  v2: ProcedureCount[];
  v3: ProcedureCount[];
  v4: ProcedureCount[];
}

export interface NfsServerStats {
  replyCache: { hits: number; misses: number; noCache: number };
  fileHandles: { stale: number };
  io: { read: number; write: number };
  threads: number;
  readAhead: { cacheSize: number; notFound: number };
  network: NfsNetwork;
  rpc: { rpcCount: number; badFmt: number; badAuth: number; badcInt: number };
  v2: ProcedureCount[];
  v3: ProcedureCount[];
  v4Ops: ProcedureCount[];
  wdelegGetattr: number;
}

/** Procedure names in the kernel's order (index 0 is NULL), as upstream's structs name them. */
const V2_NAMES = [
  'Null',
  'GetAttr',
  'SetAttr',
  'Root',
  'Lookup',
  'ReadLink',
  'Read',
  'WrCache',
  'Write',
  'Create',
  'Remove',
  'Rename',
  'Link',
  'SymLink',
  'MkDir',
  'RmDir',
  'ReadDir',
  'FsStat',
];
const V3_NAMES = [
  'Null',
  'GetAttr',
  'SetAttr',
  'Lookup',
  'Access',
  'ReadLink',
  'Read',
  'Write',
  'Create',
  'MkDir',
  'SymLink',
  'MkNod',
  'Remove',
  'RmDir',
  'Rename',
  'Link',
  'ReadDir',
  'ReadDirPlus',
  'FsStat',
  'FsInfo',
  'PathConf',
  'Commit',
];
const CLIENT_V4_NAMES = [
  'Null',
  'Read',
  'Write',
  'Commit',
  'Open',
  'OpenConfirm',
  'OpenNoattr',
  'OpenDowngrade',
  'Close',
  'Setattr',
  'FsInfo',
  'Renew',
  'SetClientID',
  'SetClientIDConfirm',
  'Lock',
  'Lockt',
  'Locku',
  'Access',
  'Getattr',
  'Lookup',
  'LookupRoot',
  'Remove',
  'Rename',
  'Link',
  'Symlink',
  'Create',
  'Pathconf',
  'StatFs',
  'ReadLink',
  'ReadDir',
  'ServerCaps',
  'DelegReturn',
  'GetACL',
  'SetACL',
  'FsLocations',
  'ReleaseLockowner',
  'Secinfo',
  'FsidPresent',
  'ExchangeID',
  'CreateSession',
  'DestroySession',
  'Sequence',
  'GetLeaseTime',
  'ReclaimComplete',
  'GetDeviceInfo',
  'LayoutGet',
  'LayoutCommit',
  'LayoutReturn',
  'SecinfoNoName',
  'TestStateID',
  'FreeStateID',
  'GetDeviceList',
  'BindConnToSession',
  'DestroyClientID',
  'Seek',
  'Allocate',
  'DeAllocate',
  'LayoutStats',
  'Clone',
];
/** Server NFSv4 operations by op number; undefined ones upstream does not report. */
const SERVER_V4_OPS: readonly (string | undefined)[] = [
  undefined,
  undefined,
  undefined,
  'Access',
  'Close',
  'Commit',
  'Create',
  'DelegPurge',
  'DelegReturn',
  'GetAttr',
  'GetFH',
  'Link',
  'Lock',
  'Lockt',
  'Locku',
  'Lookup',
  'LookupRoot',
  'Nverify',
  'Open',
  'OpenAttr',
  'OpenConfirm',
  'OpenDgrd',
  'PutFH',
  undefined,
  undefined,
  'Read',
  'ReadDir',
  'ReadLink',
  'Remove',
  'Rename',
  'Renew',
  'RestoreFH',
  'SaveFH',
  'SecInfo',
  'SetAttr',
  'SetClientID',
  'SetClientIDConfirm',
  'Verify',
  'Write',
  'RelLockOwner',
];

/** V2/V3 names upstream's nfsd collector reports (it leaves out Null). */
const withoutNull = (counts: ProcedureCount[]): ProcedureCount[] => counts.filter(([name]) => name !== 'Null');

const UINT64_MAX = 2n ** 64n - 1n;

/** A decimal uint64 as Go's strconv.ParseUint(s, 10, 64) accepts it; beyond 2^53 rounded. */
export function parseUint64(text: string | undefined, what: string, line?: string, lineNumber?: number): number {
  if (text === undefined || !/^\d+$/.test(text) || (text.length > 15 && BigInt(text) > UINT64_MAX)) {
    throw new ParseError(`invalid ${what} ${JSON.stringify(text ?? '')}`, line, lineNumber);
  }
  return Number(text);
}

interface Line {
  label: string;
  values: number[];
  line: string;
  lineNumber: number;
}

function* lines(text: string, file: string, valueCount: (label: string) => number | undefined): Generator<Line> {
  const all = text.split('\n');
  for (let i = 0; i < all.length; i++) {
    const line = all[i] ?? '';
    const lineNumber = i + 1;
    const fields = line
      .trim()
      .split(/\s+/)
      .filter((f) => f !== '');
    if (fields.length === 0) continue;
    const [label, ...rest] = fields as [string, ...string[]];
    if (rest.length === 0) throw new ParseError(`${file} line has no values`, line, lineNumber);
    const take = valueCount(label) ?? rest.length;
    if (rest.length < take) throw new ParseError(`${file} ${label} line has ${rest.length} values, want ${take}`, line, lineNumber);
    const values = rest.slice(0, take).map((v, j) => parseUint64(v, `${label} value ${j + 1}`, line, lineNumber));
    yield { label, values, line, lineNumber };
  }
}

function want(l: Line, count: number): number[] {
  if (l.values.length !== count) {
    throw new ParseError(`${l.label} line has ${l.values.length} values, want ${count}`, l.line, l.lineNumber);
  }
  return l.values;
}

/**
 * A "procN count v1 ... vcount" line. `minimum` is the fewest counters upstream accepts;
 * `pad` zero-fills a shorter list (older kernels' client proc4) instead.
 */
function procedures(l: Line, names: readonly (string | undefined)[], minimum: number, pad = false): ProcedureCount[] {
  const [count = 0, ...values] = l.values;
  if (values.length !== count || (!pad && count < minimum)) {
    throw new ParseError(`${l.label} line announces ${count} counters, has ${values.length}`, l.line, l.lineNumber);
  }
  const out: ProcedureCount[] = [];
  names.forEach((name, i) => {
    if (name !== undefined) out.push([name, values[i] ?? 0]);
  });
  return out;
}

const zeros = (names: readonly (string | undefined)[]): ProcedureCount[] => names.filter((n): n is string => n !== undefined).map((n) => [n, 0]);

function network(l: Line): NfsNetwork {
  const [netCount = 0, udpCount = 0, tcpCount = 0, tcpConnect = 0] = want(l, 4);
  return { netCount, udpCount, tcpCount, tcpConnect };
}

const NO_NETWORK: NfsNetwork = { netCount: 0, udpCount: 0, tcpCount: 0, tcpConnect: 0 };

export function parseNfsClientStats(text: string): NfsClientStats {
  const stats: NfsClientStats = {
    network: NO_NETWORK,
    rpc: { rpcCount: 0, retransmissions: 0, authRefreshes: 0 },
    v2: zeros(V2_NAMES),
    v3: zeros(V3_NAMES),
    v4: zeros(CLIENT_V4_NAMES),
  };
  for (const l of lines(text, 'nfs', () => undefined)) {
    switch (l.label) {
      case 'net':
        stats.network = network(l);
        break;
      case 'rpc': {
        const [rpcCount = 0, retransmissions = 0, authRefreshes = 0] = want(l, 3);
        stats.rpc = { rpcCount, retransmissions, authRefreshes };
        break;
      }
      case 'proc2':
        stats.v2 = procedures(l, V2_NAMES, 18);
        break;
      case 'proc3':
        stats.v3 = procedures(l, V3_NAMES, 22);
        break;
      case 'proc4':
        stats.v4 = procedures(l, CLIENT_V4_NAMES, 59, true);
        break;
      default:
        throw new ParseError(`unknown nfs line ${JSON.stringify(l.label)}`, l.line, l.lineNumber);
    }
  }
  return stats;
}

export function parseNfsServerStats(text: string): NfsServerStats {
  const stats: NfsServerStats = {
    replyCache: { hits: 0, misses: 0, noCache: 0 },
    fileHandles: { stale: 0 },
    io: { read: 0, write: 0 },
    threads: 0,
    readAhead: { cacheSize: 0, notFound: 0 },
    network: NO_NETWORK,
    rpc: { rpcCount: 0, badFmt: 0, badAuth: 0, badcInt: 0 },
    v2: withoutNull(zeros(V2_NAMES)),
    v3: withoutNull(zeros(V3_NAMES)),
    v4Ops: zeros(SERVER_V4_OPS),
    wdelegGetattr: 0,
  };
  // "th" carries the thread count and a pool-full count, then obsolete float histogram slots.
  for (const l of lines(text, 'nfsd', (label) => (label === 'th' ? 2 : undefined))) {
    switch (l.label) {
      case 'rc': {
        const [hits = 0, misses = 0, noCache = 0] = want(l, 3);
        stats.replyCache = { hits, misses, noCache };
        break;
      }
      case 'fh':
        stats.fileHandles = { stale: want(l, 5)[0] ?? 0 };
        break;
      case 'io': {
        const [read = 0, write = 0] = want(l, 2);
        stats.io = { read, write };
        break;
      }
      case 'th':
        stats.threads = want(l, 2)[0] ?? 0;
        break;
      case 'ra': {
        const v = want(l, 12);
        stats.readAhead = { cacheSize: v[0] ?? 0, notFound: v[11] ?? 0 };
        break;
      }
      case 'net':
        stats.network = network(l);
        break;
      case 'rpc': {
        const [rpcCount = 0, , badFmt = 0, badAuth = 0, badcInt = 0] = want(l, 5);
        stats.rpc = { rpcCount, badFmt, badAuth, badcInt };
        break;
      }
      case 'proc2':
        stats.v2 = withoutNull(procedures(l, V2_NAMES, 18));
        break;
      case 'proc3':
        stats.v3 = withoutNull(procedures(l, V3_NAMES, 22));
        break;
      case 'proc4': {
        const [count = 0, ...v] = l.values;
        if (count !== 2 || v.length !== 2) throw new ParseError('proc4 line wants 2 counters', l.line, l.lineNumber);
        break;
      }
      case 'proc4ops':
        stats.v4Ops = procedures(l, SERVER_V4_OPS, 39);
        break;
      case 'wdeleg_getattr':
        stats.wdelegGetattr = l.values[0] ?? 0;
        break;
      default:
        throw new ParseError(`unknown nfsd line ${JSON.stringify(l.label)}`, l.line, l.lineNumber);
    }
  }
  return stats;
}
