/**
 * The typed surface of the C++ addon (native/). The only module that loads the .node file.
 *
 * Every call runs on the addon's own threads, never on the event loop or libuv's threadpool,
 * so a statfs that hangs on a dead mount costs one parked thread and nothing else. Policy
 * (timeouts, one call per mount) belongs to the callers; see mount-stats.ts.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** statfs(2), with every count in the units the kernel gives. Sizes are `blocks × frsize`. */
export interface Statfs {
  /** Filesystem magic number (f_type), e.g. 0x01021994 for tmpfs. */
  type: number;
  /** Preferred I/O size; not the unit of the block counts (see frsize). */
  bsize: number;
  /** Fragment size: the unit of blocks, bfree and bavail. */
  frsize: number;
  blocks: number;
  bfree: number;
  /** Free blocks available to unprivileged users. */
  bavail: number;
  files: number;
  ffree: number;
  /** Mount flags: ST_* below. */
  flags: number;
  namelen: number;
}

/** sysinfo(2); byte counts already multiplied by the kernel's mem_unit. */
export interface Sysinfo {
  /** Seconds since boot. */
  uptime: number;
  /** 1, 5 and 15 minute load averages. */
  loads: [number, number, number];
  totalram: number;
  freeram: number;
  sharedram: number;
  bufferram: number;
  totalswap: number;
  freeswap: number;
  procs: number;
  totalhigh: number;
  freehigh: number;
  /** The unit the kernel counted in (informational: the fields above are bytes). */
  memUnit: number;
}

/** A resource limit; Infinity for RLIM_INFINITY ("unlimited"). */
export interface Rlimit {
  soft: number;
  hard: number;
}

export interface Uname {
  sysname: string;
  nodename: string;
  release: string;
  version: string;
  machine: string;
  domainname: string;
}

/**
 * adjtimex(2) read-only, in the kernel's raw units (offset/jitter in µs, or ns when
 * status has STA_NANO; freq/ppsfreq/stabil in ppm × 2^16). `state` is the return value:
 * TIME_OK (0) … TIME_ERROR (5, clock not synchronised).
 */
export interface Timex {
  offset: number;
  freq: number;
  maxerror: number;
  esterror: number;
  status: number;
  constant: number;
  precision: number;
  tolerance: number;
  tick: number;
  ppsfreq: number;
  jitter: number;
  shift: number;
  stabil: number;
  jitcnt: number;
  calcnt: number;
  errcnt: number;
  stbcnt: number;
  tai: number;
  state: number;
}

/**
 * Descriptors of procfs and sysfs files kept open between reads (native/readcache.h): a file
 * read again is re-read with pread at offset 0 instead of opened, read and closed.
 */
export interface NativeReadCache {
  /** Descriptors kept open. */
  files: number;
  /** Directories they sit in (each checked once per batch, before its files are re-read). */
  dirs: number;
}

/** The addon's thread pool, process-wide (shared by worker_threads). */
export interface NativeThreads {
  /** Threads alive, including ones stuck in a syscall. */
  live: number;
  /** Threads waiting for work. */
  idle: number;
  /** Calls queued or running. */
  pending: number;
}

/** Linux resource numbers (asm-generic/resource.h; the same on x86 and arm). */
export const RLIMIT_RESOURCES = {
  cpu: 0,
  fsize: 1,
  data: 2,
  stack: 3,
  core: 4,
  rss: 5,
  nproc: 6,
  nofile: 7,
  memlock: 8,
  as: 9,
  locks: 10,
  sigpending: 11,
  msgqueue: 12,
  nice: 13,
  rtprio: 14,
  rttime: 15,
} as const;
export type RlimitResource = keyof typeof RLIMIT_RESOURCES;

/** statfs f_flags: mounted read-only (linux/statfs.h; the other ST_* bits are unused here). */
export const ST_RDONLY = 0x0001;

/**
 * A failed syscall. `message` is strerror(3)'s text ("No such file or directory"), as Go's
 * errors print it, so it can go into node_exporter's device_error label unchanged.
 */
export class SyscallError extends Error {
  override readonly name = 'SyscallError';
  /** The errno name: "ENOENT", "EACCES", ...; "E<number>" for rare ones. */
  readonly code: string;
  /** The positive errno value (not libuv's negative one). */
  readonly errno: number;
  readonly syscall: string;
  /** Only for calls that take a path; `declare` keeps the property absent otherwise. */
  declare readonly path?: string;

  constructor(message: string, fields: { code: string; errno: number; syscall: string; path?: string | undefined }) {
    super(message);
    this.code = fields.code;
    this.errno = fields.errno;
    this.syscall = fields.syscall;
    if (fields.path !== undefined) Object.defineProperty(this, 'path', { value: fields.path, enumerable: true });
  }
}

interface NativeAddon {
  statfs(path: string): Promise<Statfs>;
  sysinfo(): Promise<Sysinfo>;
  trimHeap(): Promise<HeapTrim>;
  getrlimit(resource: number): Promise<Rlimit>;
  uname(): Promise<Uname>;
  adjtimex(): Promise<Timex>;
  /**
   * paths NUL-separated, or several such lists (read in order, as if joined); the result is
   * [every file's bytes, n + 1 offsets, n errnos (0: read)].
   */
  readFiles(paths: string | string[], limit: number, mayHang: boolean): Promise<[Buffer, Uint32Array, Int32Array]>;
  errnoInfo(errno: number): [code: string, message: string];
  netlinkDump(protocol: number, type: number, flags: number, payload: Buffer): Promise<Buffer[]>;
  ifaceIoctl(ifname: string, request: number, buffer: Buffer): Promise<Buffer>;
  pathIoctl(path: string, request: number, buffer: Buffer): Promise<Buffer>;
  perfEventOpen(attr: Buffer, pid: number, cpu: number, groupFd: number, flags: number): Promise<number>;
  fdReads(fds: number[], size: number): Promise<(Buffer | { code: string; errno: number; message: string })[]>;
  fdClose(fd: number): Promise<void>;
  fdOpen(path: string): Promise<number>;
  fdPoll(fd: number, events: number): Promise<number>;
  /** paths NUL-separated; see statfsBatch below. */
  statfsBatch(paths: string, workers: number): [done: Promise<RawBatch>, handle: object];
  statfsBatchPeek(handle: object): RawBatch;
  statfsBatchRescue(handle: object, holdMs: number): number;
  threads(): NativeThreads;
  readCacheStats(): NativeReadCache;
}

/**
 * node-gyp-build's resolver: build/Release, build/Debug (a local node-gyp build), then
 * prebuilds/<platform>-<arch>/ (prebuildify's layout; the published package ships them).
 */
interface NodeGypBuild {
  path(dir: string): string;
}

/** The package root: the first directory up from here holding package.json and binding.gyp. */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'binding.gyp'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`node-exporter: no package.json with binding.gyp above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

let addon: NativeAddon | undefined;

/** Loaded on first use, so modules that merely import this one work without a build. */
function native(): NativeAddon {
  if (addon !== undefined) return addon;
  const root = packageRoot();
  const require = createRequire(import.meta.url);
  let found: string;
  try {
    found = (require('node-gyp-build') as NodeGypBuild).path(root);
  } catch (err) {
    const why = err instanceof Error ? err.message.trim() : String(err);
    throw new Error(`node-exporter: native addon not built and no prebuild matches (${why}); run \`npx node-gyp rebuild\``, { cause: err });
  }
  addon = require(found) as NativeAddon;
  return addon;
}

function isNativeError(err: unknown): err is Error & { code: string; errno: number; syscall: string; path?: string } {
  if (!(err instanceof Error)) return false;
  const e = err as Error & Record<string, unknown>;
  return typeof e.code === 'string' && typeof e.errno === 'number' && typeof e.syscall === 'string';
}

/** Re-throws a native rejection as a SyscallError whose stack shows our caller. */
async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!isNativeError(err)) throw err;
    // The addon could not start a thread for the call (pids limit, RLIMIT_NPROC): strerror's
    // "Resource temporarily unavailable" alone would not say which call failed, or why.
    const message = err.syscall === 'pthread_create' ? `no thread to run the call on (pthread_create: ${err.message})` : err.message;
    throw new SyscallError(message, err);
  }
}

export async function statfs(path: string): Promise<Statfs> {
  if (typeof path !== 'string') throw new TypeError(`statfs: path must be a string, got ${typeof path}`);
  if (path === '') throw new RangeError('statfs: path must not be empty');
  // The kernel would stop at the NUL and answer for a different path.
  if (path.includes('\0')) throw new RangeError(`statfs: path must not contain NUL: ${JSON.stringify(path)}`);
  return call(() => native().statfs(path));
}

/** What one malloc_trim(3) did (see native/syscalls.h TrimHeap). */
export interface HeapTrim {
  /** False where the C library is not glibc: nothing was done. */
  supported: boolean;
  /** The call gave memory back to the kernel. */
  released: boolean;
  seconds: number;
}

/**
 * Gives the free pages inside the C heap back to the kernel, on the addon's bounded pool (the
 * walk of the heap never runs on the event loop). glibc returns only the heap's top by itself.
 */
export async function trimHeap(): Promise<HeapTrim> {
  return call(() => native().trimHeap());
}

export async function sysinfo(): Promise<Sysinfo> {
  return call(() => native().sysinfo());
}

export async function getrlimit(resource: RlimitResource): Promise<Rlimit> {
  if (typeof resource !== 'string') throw new TypeError(`getrlimit: resource must be a string, got ${typeof resource}`);
  if (!Object.hasOwn(RLIMIT_RESOURCES, resource)) {
    throw new RangeError(`getrlimit: unknown resource ${JSON.stringify(resource)} (one of ${Object.keys(RLIMIT_RESOURCES).join(', ')})`);
  }
  const number = RLIMIT_RESOURCES[resource];
  return call(() => native().getrlimit(number));
}

export async function uname(): Promise<Uname> {
  return call(() => native().uname());
}

export async function adjtimex(): Promise<Timex> {
  return call(() => native().adjtimex());
}

/**
 * Reads whole files (at most `limit` bytes each; EFBIG beyond) in one trip to an addon thread:
 * for /proc and /sys, where a collector reads many small files, one hop instead of four
 * promise round trips per file. Each entry is the file's bytes or its SyscallError.
 * `mayHang`: the files may sit on a network filesystem (a textfile directory on NFS), so the
 * read gets a thread of its own instead of queueing on the few that serve /proc and /sys.
 */
/** One trip's results: every file's bytes in one buffer, where each starts, each file's errno. */
interface ReadBatch {
  data: Buffer;
  offsets: Uint32Array;
  errnos: Int32Array;
}

/** A request's share of a trip: its files are entries at..at+n of the batch. */
interface BatchSlice {
  batch: ReadBatch;
  at: number;
}

interface ReadRequest {
  /** The request's paths joined with NULs, as the addon takes them. */
  joined: string;
  count: number;
  /** Settled with the request's slice of the trip, or, for a one-file read with `then`, with what `then` made of it. */
  resolve(value: unknown): void;
  reject(err: unknown): void;
  then: ((r: string | SyscallError, path: string, arg: unknown) => unknown) | undefined;
  arg: unknown;
}

/**
 * Reads asked for in the same tick, by limit (and mayHang: the second map): sent to the addon
 * together. A flush deletes its entries rather than clearing the maps: V8's Map.clear() leaves the
 * old hash table, entries and all, pointing at its successor, so a long-lived map cleared every
 * scrape keeps every later table, and every request, promise and parsed result they hold, alive
 * through each young-generation GC until the next full one (bench/compare.ts: 32 KiB promoted
 * per scrape with clear(), 1.5 KiB without; test/read-queue-gc.test.ts).
 */
const pendingReads = new Map<number, { limit: number; mayHang: boolean; requests: ReadRequest[] }>();
const pendingHangable = new Map<number, { limit: number; mayHang: boolean; requests: ReadRequest[] }>();
/** Paths per trip to the addon: enough to amortise the hop, small enough to spread a big scrape over the pool's threads. */
const READ_BATCH = 256;

function sendReads(reqs: ReadRequest[], limit: number, mayHang: boolean): void {
  let paths: string | string[];
  if (reqs.length === 1) {
    paths = (reqs[0] as ReadRequest).joined;
  } else {
    // The addon reads the lists in order: no joined copy of them all.
    paths = new Array<string>(reqs.length);
    for (let i = 0; i < reqs.length; i++) paths[i] = (reqs[i] as ReadRequest).joined;
  }
  call(() => native().readFiles(paths, limit, mayHang)).then(
    ([data, offsets, errnos]) => {
      const batch = { data, offsets, errnos };
      let at = 0;
      for (let i = 0; i < reqs.length; i++) {
        const r = reqs[i] as ReadRequest;
        if (r.then === undefined) {
          r.resolve({ batch, at });
        } else {
          try {
            r.resolve(r.then(textAt(batch, at, r.joined), r.joined, r.arg));
          } catch (err) {
            r.reject(err);
          }
        }
        at += r.count;
      }
    },
    (err: unknown) => {
      for (const r of reqs) r.reject(err);
    },
  );
}

function flushReads(): void {
  for (const [limit, batch] of pendingReads) {
    pendingReads.delete(limit);
    flushBatch(batch);
  }
  for (const [limit, batch] of pendingHangable) {
    pendingHangable.delete(limit);
    flushBatch(batch);
  }
}

/** One limit's requests, in trips of about READ_BATCH paths (whole requests each). */
function flushBatch({ limit, mayHang, requests }: { limit: number; mayHang: boolean; requests: ReadRequest[] }): void {
  let from = 0;
  let size = 0;
  for (let i = 0; i < requests.length; i++) {
    size += (requests[i] as ReadRequest).count;
    if (size >= READ_BATCH) {
      sendReads(from === 0 && i === requests.length - 1 ? requests : requests.slice(from, i + 1), limit, mayHang);
      from = i + 1;
      size = 0;
    }
  }
  if (from < requests.length) sendReads(from === 0 ? requests : requests.slice(from), limit, mayHang);
}

/** errno → [name, message], asked of the addon once per errno. */
const errnoText = new Map<number, [string, string]>();

function errnoName(errno: number): [string, string] {
  let info = errnoText.get(errno);
  if (info === undefined) errnoText.set(errno, (info = native().errnoInfo(errno)));
  return info;
}

function readFileError(path: string, errno: number): SyscallError {
  const info = errnoName(errno);
  // Missing sysfs attributes are routine: skip the stack trace, the path says all.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new SyscallError(`read ${path}: ${info[1]}`, { code: info[0], errno, syscall: 'read', path });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Entry i of a trip as UTF-8 text straight from its buffer, or the read's error. */
function textAt(batch: ReadBatch, i: number, path: string): string | SyscallError {
  const errno = batch.errnos[i] ?? 0;
  return errno !== 0 ? readFileError(path, errno) : batch.data.toString('utf8', batch.offsets[i], batch.offsets[i + 1]);
}

/**
 * Path lists that never change (Paths.sysFilePaths' frozen arrays), joined once: such a list is
 * sent as the same string every scrape, checked and joined only the first time.
 */
const joinedLists = new WeakMap<readonly string[], string>();

function badPath(p: unknown): Error | undefined {
  if (typeof p !== 'string') return new TypeError('readFiles: paths must be strings');
  if (p === '' || p.includes('\0')) return new RangeError(`readFiles: path must be non-empty and contain no NUL: ${JSON.stringify(p)}`);
  return undefined;
}

/** Queues paths for the next trip (same tick, same limit and mayHang) and waits for their slice. */
function readSlice(paths: readonly string[], limit: number, mayHang: boolean): Promise<BatchSlice> {
  if (!Array.isArray(paths)) return Promise.reject(new TypeError('readFiles: paths must be strings'));
  let joined = joinedLists.get(paths);
  if (joined === undefined) {
    for (let i = 0; i < paths.length; i++) {
      const bad = badPath(paths[i]);
      if (bad !== undefined) return Promise.reject(bad);
    }
    joined = paths.join('\0');
    if (Object.isFrozen(paths)) joinedLists.set(paths, joined);
  }
  return queueRead<BatchSlice>(joined, paths.length, limit, mayHang, undefined, undefined);
}

function queueRead<T>(joined: string, count: number, limit: number, mayHang: boolean, then: ReadRequest['then'], arg: unknown): Promise<T> {
  if (!Number.isSafeInteger(limit) || limit < 0 || limit > 0xffffffff) return Promise.reject(new RangeError(`readFiles: bad limit ${String(limit)}`));
  // Keyed by limit, one map per mayHang: no key string per read.
  const byLimit = mayHang ? pendingHangable : pendingReads;
  let batch = byLimit.get(limit);
  if (batch === undefined) {
    if (pendingReads.size === 0 && pendingHangable.size === 0) queueMicrotask(flushReads);
    batch = { limit, mayHang, requests: [] };
    byLimit.set(limit, batch);
  }
  const queue = batch.requests;
  return new Promise<T>((resolve, reject) => queue.push({ joined, count, resolve: resolve as (value: unknown) => void, reject, then, arg }));
}

/**
 * Reads whole files (at most `limit` bytes each; EFBIG beyond) on the addon's threads. Each
 * entry is the file's bytes (a view into the trip's one buffer) or its SyscallError. A trip to a
 * thread costs far more than reading a /proc file, so every read asked for in the same tick (all
 * collectors of a scrape start together) goes in one trip, split at READ_BATCH paths.
 * `mayHang`: the files may sit on a network filesystem (a textfile directory on NFS), so the
 * read gets a thread of its own instead of queueing on the few that serve /proc and /sys.
 * Otherwise procfs and sysfs files stay open for the next read (native/readcache.h).
 */
export async function readFiles(paths: readonly string[], limit: number, mayHang = false): Promise<(Buffer | SyscallError)[]> {
  if (paths.length === 0) return [];
  const { batch, at } = await readSlice(paths, limit, mayHang);
  return paths.map((p, i) => {
    const errno = batch.errnos[at + i] ?? 0;
    return errno !== 0 ? readFileError(p, errno) : batch.data.subarray(batch.offsets[at + i], batch.offsets[at + i + 1]);
  });
}

/** One file as readTexts reads it (no array for one result). */
export function readText(path: string, limit: number, mayHang = false): Promise<string | SyscallError> {
  return readTextThen(path, limit, mayHang, asRead, undefined);
}

function asRead(r: string | SyscallError): string | SyscallError {
  return r;
}

/**
 * readText with `then(text or error, path, arg)` applied as the trip completes: the promise
 * settles with what it returns or throws. A reader that parses every file it reads (most do)
 * costs one promise per file this way, and no closure.
 */
export function readTextThen<T, A>(path: string, limit: number, mayHang: boolean, then: (r: string | SyscallError, path: string, arg: A) => T, arg: A): Promise<T> {
  const bad = badPath(path);
  if (bad !== undefined) return Promise.reject(bad);
  return queueRead<T>(path, 1, limit, mayHang, then as ReadRequest['then'], arg);
}

/** readFiles, decoded as UTF-8 text straight from the trip's buffer (no Buffer per file). */
export async function readTexts(paths: readonly string[], limit: number, mayHang = false): Promise<(string | SyscallError)[]> {
  if (paths.length === 0) return [];
  const { batch, at } = await readSlice(paths, limit, mayHang);
  return paths.map((p, i) => textAt(batch, at + i, p));
}

export const NETLINK_ROUTE = 0;
export const NETLINK_SOCK_DIAG = 4;
export const NETLINK_GENERIC = 16;

/**
 * One netlink dump on the addon's bounded pool: a fresh AF_NETLINK socket of `protocol`,
 * one request `type` with NLM_F_REQUEST | NLM_F_DUMP | `flags` and `payload` after the
 * 16-byte header, and every reply datagram, raw, up to and including the one holding
 * NLMSG_DONE. An NLMSG_ERROR reply rejects with its errno (syscall "netlink"); the socket
 * has a receive timeout, so the call always settles. Parsing is src/netlink/'s job.
 */
export async function netlinkDump(protocol: number, type: number, flags: number, payload: Buffer): Promise<Buffer[]> {
  if (!Number.isInteger(protocol) || protocol < 0 || protocol > 31) throw new RangeError(`netlinkDump: bad protocol ${String(protocol)}`);
  if (!Number.isInteger(type) || type < 0 || type > 0xffff) throw new RangeError(`netlinkDump: bad message type ${String(type)}`);
  if (!Number.isInteger(flags) || flags < 0 || flags > 0xffff) throw new RangeError(`netlinkDump: bad flags ${String(flags)}`);
  if (!Buffer.isBuffer(payload)) throw new TypeError('netlinkDump: payload must be a Buffer');
  return call(() => native().netlinkDump(protocol, type, flags, payload));
}

/** SIOCETHTOOL (linux/sockios.h): the ethtool ioctl; the command is the first u32 of the buffer. */
export const SIOCETHTOOL = 0x8946;

/**
 * One ioctl on a network interface on the addon's bounded pool (the call never blocks): an
 * AF_INET datagram socket, ifreq{ifr_name: ifname, ifr_data: a copy of `buffer`}, and that
 * copy as the kernel left it. Struct layouts are the caller's (src/ethtool/).
 */
export async function ifaceIoctl(ifname: string, request: number, buffer: Buffer): Promise<Buffer> {
  if (typeof ifname !== 'string' || ifname === '' || ifname.length > 15 || ifname.includes('\0')) throw new RangeError(`ifaceIoctl: bad interface name ${JSON.stringify(ifname)}`);
  if (!Number.isInteger(request) || request < 0 || request > 0xffffffff) throw new RangeError(`ifaceIoctl: bad request ${String(request)}`);
  if (!Buffer.isBuffer(buffer)) throw new TypeError('ifaceIoctl: buffer must be a Buffer');
  return call(() => native().ifaceIoctl(ifname, request, buffer));
}

/**
 * One ioctl on a file or directory: open(path, O_RDONLY | O_CLOEXEC), ioctl(fd, request, a
 * copy of `buffer`), close; resolves to that copy as the kernel left it. Runs on the elastic
 * pool, as statfs does: the path is typically a mount point, and opening one on a dead mount
 * may never return. Errors carry the path (ENOTTY when the filesystem does not know the
 * request). Struct layouts are the caller's (src/btrfs/).
 */
export async function pathIoctl(path: string, request: number, buffer: Buffer): Promise<Buffer> {
  if (typeof path !== 'string') throw new TypeError(`pathIoctl: path must be a string, got ${typeof path}`);
  if (path === '' || path.includes('\0')) throw new RangeError(`pathIoctl: path must be non-empty and contain no NUL: ${JSON.stringify(path)}`);
  if (!Number.isInteger(request) || request < 0 || request > 0xffffffff) throw new RangeError(`pathIoctl: bad request ${String(request)}`);
  if (!Buffer.isBuffer(buffer)) throw new TypeError('pathIoctl: buffer must be a Buffer');
  return call(() => native().pathIoctl(path, request, buffer));
}

/**
 * perf_event_open(2) on the addon's pool with a perf_event_attr built by the caller
 * (src/perf/attr.ts); resolves to the counter's fd (close-on-exec). pid -1 and a cpu count
 * everything on that CPU. Read it with fdReads, release it with fdClose.
 */
export async function perfEventOpen(attr: Buffer, pid: number, cpu: number, groupFd = -1, flags = 0): Promise<number> {
  if (!Buffer.isBuffer(attr) || attr.length < 64) throw new TypeError('perfEventOpen: attr must be a Buffer of at least 64 bytes');
  for (const [n, v] of [
    ['pid', pid],
    ['cpu', cpu],
    ['groupFd', groupFd],
  ] as const) {
    if (!Number.isInteger(v) || v < -1 || v > 0x7fffffff) throw new RangeError(`perfEventOpen: bad ${n} ${String(v)}`);
  }
  if (!Number.isInteger(flags) || flags < 0 || flags > 0xffffffff) throw new RangeError(`perfEventOpen: bad flags ${String(flags)}`);
  return call(() => native().perfEventOpen(attr, pid, cpu, groupFd, flags));
}

/**
 * One read(2) of at most `size` bytes (≤ 1 MiB) from each fd perfEventOpen gave, all in one
 * trip to the addon's threads (a large host has thousands of counters); each entry is that
 * fd's bytes or its SyscallError.
 */
export async function fdReads(fds: readonly number[], size: number): Promise<(Buffer | SyscallError)[]> {
  if (!Array.isArray(fds)) throw new TypeError('fdReads: fds must be an array');
  for (const fd of fds) if (!Number.isInteger(fd) || fd < 0 || fd > 0x7fffffff) throw new RangeError(`fdReads: bad fd ${String(fd)}`);
  if (!Number.isInteger(size) || size < 1 || size > 1 << 20) throw new RangeError(`fdReads: bad size ${String(size)}`);
  if (fds.length === 0) return [];
  const results = await call(() => native().fdReads([...fds], size));
  return results.map((r, i) => (Buffer.isBuffer(r) ? r : new SyscallError(`read fd ${String(fds[i])}: ${r.message}`, { code: r.code, errno: r.errno, syscall: 'read' })));
}

/** close(2) of an fd perfEventOpen gave. */
export async function fdClose(fd: number): Promise<void> {
  if (!Number.isInteger(fd) || fd < 0 || fd > 0x7fffffff) throw new RangeError(`fdClose: bad fd ${String(fd)}`);
  return call(() => native().fdClose(fd));
}

/** The read cache right now (tests and diagnostics). */
export function nativeReadCache(): NativeReadCache {
  return native().readCacheStats();
}

/** poll(2) events (asm-generic/poll.h). */
export const POLLPRI = 0x2;
export const POLLERR = 0x8;

/** open(2) read-only, close-on-exec: an fd to watch with fdPoll (release it with fdClose). */
export async function fdOpen(path: string): Promise<number> {
  if (typeof path !== 'string' || path === '' || path.includes('\0')) throw new RangeError(`fdOpen: path must be non-empty and contain no NUL: ${JSON.stringify(path)}`);
  return call(() => native().fdOpen(path));
}

/**
 * poll(2) of one fd for `events` without waiting: the events the kernel reports now. On a
 * /proc mountinfo fd, POLLPRI | POLLERR come once after each change of the mount table.
 */
export async function fdPoll(fd: number, events: number): Promise<number> {
  if (!Number.isInteger(fd) || fd < 0 || fd > 0x7fffffff) throw new RangeError(`fdPoll: bad fd ${String(fd)}`);
  if (!Number.isInteger(events) || events < 0 || events > 0x7fff) throw new RangeError(`fdPoll: bad events ${String(events)}`);
  return call(() => native().fdPoll(fd, events));
}

/** [status, stats, started]: see StatfsBatchResults. */
type RawBatch = [Int32Array, Float64Array, number];

/** Numbers per path in StatfsBatchResults.stats, in the order of the Statfs fields. */
export const STATFS_FIELDS = 10;
/** A path's status while its call has not returned. */
export const STATFS_PENDING = -1;

/** What a batch has so far. */
export interface StatfsBatchResults {
  /** Per path: STATFS_PENDING until its call returns, then its errno (0: stats are set). */
  status: Int32Array;
  /** Per path, STATFS_FIELDS numbers: type, bsize, frsize, blocks, bfree, bavail, files, ffree, flags, namelen. */
  stats: Float64Array;
  /** Paths a worker has taken so far (the rest wait for one). */
  started: number;
}

/** One statfsBatch in flight. */
export interface StatfsBatch {
  /** Settles once every path's call has returned: never, while one hangs. */
  done: Promise<StatfsBatchResults>;
  /** The results so far, at once. */
  peek(): StatfsBatchResults;
  /**
   * Gives each worker that has been inside one call for `holdMs` or more, while paths still
   * wait, a fresh worker in its place (the stuck one leaves when its call returns). Returns how
   * many paths no worker has taken yet.
   */
  rescue(holdMs: number): number;
}

const batchResults = ([status, stats, started]: RawBatch): StatfsBatchResults => ({ status, stats, started });

/**
 * statfs(2) of many paths in one trip, on `workers` of the addon's elastic threads sharing one
 * cursor over the paths: a path that hangs holds only the worker inside it. Timeouts are the
 * caller's policy (see mount-stats.ts): peek() at the deadline, rescue() on a timer so that
 * paths queued behind stuck workers are still measured. Each stuck thread is parked on a path
 * of its own. Path i's error, if any, is statfsError(paths[i], status[i]).
 */
export function statfsBatch(paths: readonly string[], workers: number): StatfsBatch {
  if (!Array.isArray(paths) || paths.length === 0) throw new TypeError('statfsBatch: paths must be a non-empty array');
  for (const p of paths) {
    if (typeof p !== 'string' || p === '' || p.includes('\0')) throw new RangeError(`statfsBatch: path must be a non-empty string without NUL: ${JSON.stringify(p)}`);
  }
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new RangeError(`statfsBatch: workers must be 1-64, got ${String(workers)}`);
  const [done, handle] = native().statfsBatch(paths.join('\0'), workers);
  return {
    done: done.then(batchResults),
    peek: () => batchResults(native().statfsBatchPeek(handle)),
    rescue: (holdMs) => native().statfsBatchRescue(handle, Math.max(0, Math.floor(holdMs))),
  };
}

/** Path i's Statfs from a batch whose status[i] is 0. */
export function statfsAt(stats: Float64Array, i: number): Statfs {
  const at = i * STATFS_FIELDS;
  return {
    type: stats[at] ?? 0,
    bsize: stats[at + 1] ?? 0,
    frsize: stats[at + 2] ?? 0,
    blocks: stats[at + 3] ?? 0,
    bfree: stats[at + 4] ?? 0,
    bavail: stats[at + 5] ?? 0,
    files: stats[at + 6] ?? 0,
    ffree: stats[at + 7] ?? 0,
    flags: stats[at + 8] ?? 0,
    namelen: stats[at + 9] ?? 0,
  };
}

/** The SyscallError of a failed statfs in a batch, as statfs() would reject with it. */
export function statfsError(path: string, errno: number): SyscallError {
  const [code, message] = errnoName(errno);
  return new SyscallError(message, { code, errno, syscall: 'statfs', path });
}

/** The addon's pool right now (tests and diagnostics). */
export function nativeThreads(): NativeThreads {
  return native().threads();
}
