/**
 * FUSE fixtures for root-only system tests, talking to the kernel directly: no libfuse,
 * fusermount or mount.fuse helper is needed, only /dev/fuse and util-linux mount(8)/umount(8)
 * (`mount -i` skips the /sbin/mount.<type> helpers; the /dev/fuse descriptor is handed to
 * mount(8) as its fd 3 and named in the `fd=3` mount option).
 *
 * Two kinds of mounts:
 *  - mountHungFuse(): a FUSE mount whose connection is never served, not even FUSE_INIT.
 *    statfs()/stat() on it block in the kernel until the connection is aborted. The /dev/fuse
 *    fd is held by the test process (opened with fs.openSync; nothing ever reads it, so no
 *    libuv pool thread is involved). release() aborts the connection (fusectl abort if
 *    /sys/fs/fuse/connections is mounted, and closing the last fd aborts it in any case), then
 *    lazily unmounts.
 *  - startStatfsFuse(): a tiny FUSE server in a separate process
 *    (dist/test/helpers/fuse-statfs-server.js) answering INIT, GETATTR of the root directory and
 *    STATFS with the configured numbers (ENOSYS for the rest).
 *
 * Everything lives in the current mount namespace. Mountpoints should be made with
 * makeFuseRoot() (a fresh mkdtemp directory in os.tmpdir()); its cleanup() releases whatever
 * is still mounted below it and removes the directories (never recursively through a mount).
 * As a last resort, a process 'exit' hook releases every fixture still registered, and the
 * statfs server unmounts and exits by itself when the test process goes away (stdin EOF).
 *
 * Never stat() a hung mount's mountpoint from the test process itself: the call would block
 * the calling thread (and a fs.promises/async call would pin a libuv pool thread) until the
 * connection is aborted. Do it in a child process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** statfs numbers the statfs server reports (struct fuse_kstatfs). */
export interface FuseStatfsValues {
  /** f_bsize: preferred I/O size ("%s" of stat -f). */
  bsize: number;
  /** f_frsize: fundamental block size, the unit of blocks/bfree/bavail ("%S" of stat -f). */
  frsize: number;
  blocks: number | bigint;
  bfree: number | bigint;
  bavail: number | bigint;
  files: number | bigint;
  ffree: number | bigint;
  namelen: number;
}

export interface FuseMountOptions {
  /** Mount source shown in /proc/self/mountinfo and df (default "ntsfuse"). */
  source?: string;
  /** When set, the filesystem type is "fuse.<subtype>" instead of "fuse". */
  subtype?: string;
}

export interface HungMount {
  /** The mountpoint, canonical (as it appears in /proc/self/mountinfo). */
  readonly dir: string;
  /** FUSE connection id: the directory name under /sys/fs/fuse/connections (the st_dev). */
  readonly connectionId: number;
  /** "major:minor" of the mount, as in /proc/self/mountinfo. */
  readonly device: string;
  /** Aborts the connection, lazily unmounts, closes the fd. Idempotent, never throws. */
  release(): Promise<void>;
}

export interface StatfsFuse {
  /** The mountpoint, canonical (as it appears in /proc/self/mountinfo). */
  readonly dir: string;
  readonly connectionId: number;
  /** pid of the server process. */
  readonly pid: number;
  /** Stops the server (SIGTERM: it unmounts lazily and exits; SIGKILL + umount -l as a fallback)
   *  and waits until the mount is gone. Idempotent, never throws. */
  stop(): Promise<void>;
}

export interface FuseRoot {
  /** The fresh mkdtemp directory (canonical). */
  readonly root: string;
  /** Creates (mkdir -p) and returns root/<name>, for use as a mountpoint. */
  dir(name: string): string;
  /** Releases every hung mount / statfs server below root, then removes the directories
   *  (rmdir only: never recurses into something still mounted). Never throws. */
  cleanup(): Promise<void>;
}

export interface MountInfoEntry {
  mountId: number;
  parentId: number;
  /** "major:minor" */
  device: string;
  root: string;
  mountPoint: string;
  options: string;
  fsType: string;
  source: string;
  superOptions: string;
}

const MOUNT_TIMEOUT_MS = 10_000;
const UNMOUNT_WAIT_MS = 5_000;

/** dist/test/helpers/fuse-statfs-server.js (next to this compiled file). */
export const statfsServerScript = fileURLToPath(new URL('./fuse-statfs-server.js', import.meta.url));

// ---------------------------------------------------------------------------------------------
// /proc/self/mountinfo
// ---------------------------------------------------------------------------------------------
const unescapeMountField = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export function readMountInfo(): MountInfoEntry[] {
  const out: MountInfoEntry[] = [];
  for (const line of fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    if (!line) continue;
    const f = line.split(' ');
    const sep = f.indexOf('-', 6);
    if (sep < 0 || f.length < sep + 4) continue;
    out.push({
      mountId: Number(f[0]),
      parentId: Number(f[1]),
      device: f[2] ?? '',
      root: unescapeMountField(f[3] ?? ''),
      mountPoint: unescapeMountField(f[4] ?? ''),
      options: f[5] ?? '',
      fsType: f[sep + 1] ?? '',
      source: unescapeMountField(f[sep + 2] ?? ''),
      superOptions: f[sep + 3] ?? '',
    });
  }
  return out;
}

/** The topmost mount on `dir` (exact, canonical path), if any. */
export function mountAt(dir: string): MountInfoEntry | undefined {
  let found: MountInfoEntry | undefined;
  for (const e of readMountInfo()) if (e.mountPoint === dir) found = e;
  return found;
}

export const isMounted = (dir: string): boolean => mountAt(dir) !== undefined;

/** The FUSE connection id (fusectl directory name) of a "major:minor" device: the kernel dev_t. */
function connectionIdOfDevice(device: string): number {
  const m = /^(\d+):(\d+)$/.exec(device);
  if (!m) throw new Error(`unexpected device ${device}`);
  return Number(m[1]) * 2 ** 20 + Number(m[2]);
}

// ---------------------------------------------------------------------------------------------
// availability
// ---------------------------------------------------------------------------------------------
function onPath(cmd: string): boolean {
  for (const d of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':')) {
    if (!d) continue;
    try {
      fs.accessSync(path.join(d, cmd), fs.constants.X_OK);
      return true;
    } catch {
      // next
    }
  }
  return false;
}

let availability: { reason: string | undefined } | undefined;

/**
 * undefined when FUSE fixtures can be used here, else why not (for t.skip(reason)).
 * The first call really mounts (and immediately aborts and unmounts) a probe FUSE filesystem,
 * so "root but no CAP_SYS_ADMIN" and similar are detected too. Cached.
 */
export function fuseAvailable(): string | undefined {
  availability ??= { reason: probe() };
  return availability.reason;
}

function probe(): string | undefined {
  if (process.platform !== 'linux') return 'FUSE fixtures need Linux';
  if (process.getuid?.() !== 0) return 'needs root';
  if (!fs.existsSync('/dev/fuse')) return '/dev/fuse missing';
  if (!onPath('mount')) return 'mount(8) missing';
  if (!onPath('umount')) return 'umount(8) missing';
  let fd: number;
  try {
    fd = fs.openSync('/dev/fuse', 'r+');
  } catch (e) {
    return `cannot open /dev/fuse: ${(e as Error).message}`;
  }
  let dir: string | undefined;
  try {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'nts-fuse-probe-')));
    const r = spawnSync('mount', ['-i', '-t', 'fuse', '-o', 'fd=3,rootmode=40000,user_id=0,group_id=0', 'ntsfuse-probe', dir], {
      stdio: ['ignore', 'pipe', 'pipe', fd],
      timeout: MOUNT_TIMEOUT_MS,
      killSignal: 'SIGKILL',
      encoding: 'utf8',
    });
    if (r.error) return `cannot run mount(8): ${r.error.message}`;
    if (r.status !== 0) return `cannot mount a FUSE filesystem: ${(r.stderr || r.stdout || `exit ${r.status ?? r.signal}`).trim()}`;
    return undefined;
  } finally {
    // Closing the only /dev/fuse fd aborts the (never initialised) connection.
    fs.closeSync(fd);
    if (dir !== undefined) {
      if (isMounted(dir)) spawnSync('umount', ['-l', '-i', '-c', dir], { stdio: 'ignore', timeout: MOUNT_TIMEOUT_MS });
      try {
        if (!isMounted(dir)) fs.rmdirSync(dir);
      } catch {
        // leave it
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// registry + last-resort cleanup
// ---------------------------------------------------------------------------------------------
interface Registered {
  dir: string;
  device: string;
  connectionId: number;
  release(): Promise<void>;
  /** best effort, synchronous (process 'exit' hook) */
  releaseSync(): void;
}

const registry = new Set<Registered>();
let exitHookInstalled = false;

/** dist/test/helpers/fuse-reaper.js: cleans up after this process even if it is SIGKILLed. */
export const reaperScript = fileURLToPath(new URL('./fuse-reaper.js', import.meta.url));
let reaper: ChildProcess | undefined;
let reaperFailed = false;

function tellReaper(msg: { op: 'add'; dir: string; device: string; conn: number } | { op: 'del'; dir: string }): void {
  if (!reaper && !reaperFailed) {
    try {
      if (!fs.existsSync(reaperScript)) throw new Error('missing');
      // Detached (own session): a signal to the test's process group does not reach it.
      reaper = spawn(process.execPath, [reaperScript, '--reaper'], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
      reaper.on('error', () => {
        reaperFailed = true;
        reaper = undefined;
      });
      reaper.stdin?.on('error', () => {});
      reaper.unref();
      (reaper.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    } catch {
      reaperFailed = true;
      reaper = undefined;
    }
  }
  try {
    reaper?.stdin?.write(`${JSON.stringify(msg)}\n`);
  } catch {
    // best effort
  }
}

function unregister(r: Registered): void {
  if (registry.delete(r)) tellReaper({ op: 'del', dir: r.dir });
}

function register(r: Registered): void {
  registry.add(r);
  tellReaper({ op: 'add', dir: r.dir, device: r.device, conn: r.connectionId });
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const x of registry) {
        try {
          x.releaseSync();
        } catch {
          // keep going
        }
      }
      registry.clear();
    });
  }
}

/** Releases / stops every fixture still active in this process. Never throws. */
export async function releaseAllFuse(): Promise<void> {
  await Promise.all([...registry].map((r) => r.release()));
}

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** A deadline for Promise.race that does not keep the process alive once the race is won. */
const deadline = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function run(cmd: string, args: string[], opts: { timeoutMs: number; extraFd?: number }): Promise<RunResult> {
  return new Promise((resolve) => {
    const stdio: Array<'ignore' | 'pipe' | number> = ['ignore', 'pipe', 'pipe'];
    if (opts.extraFd !== undefined) stdio.push(opts.extraFd);
    let child: ChildProcess;
    try {
      child = spawn(cmd, args, { stdio });
    } catch (e) {
      resolve({ code: null, signal: null, stdout: '', stderr: (e as Error).message, timedOut: false });
      return;
    }
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout, stderr: stderr + e.message, timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

async function lazyUnmount(dir: string): Promise<void> {
  if (!isMounted(dir)) return;
  // -c: no canonicalisation, so umount(8) never stat()s the (possibly hung) mountpoint.
  await run('umount', ['-l', '-i', '-c', dir], { timeoutMs: MOUNT_TIMEOUT_MS });
}

function lazyUnmountSync(dir: string): void {
  if (!isMounted(dir)) return;
  spawnSync('umount', ['-l', '-i', '-c', dir], { stdio: 'ignore', timeout: MOUNT_TIMEOUT_MS });
}

async function waitUnmounted(dir: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isMounted(dir)) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/**
 * Where the FUSE control filesystem (fusectl) is mounted, if anywhere: normally
 * /sys/fs/fuse/connections, but it is often not mounted at all (then aborting is done by
 * closing the /dev/fuse fd).
 */
export function fusectlDir(): string | undefined {
  const e = readMountInfo().find((m) => m.fsType === 'fusectl');
  return e?.mountPoint;
}

/** Writes to <fusectl>/<connectionId>/abort. Returns whether that was possible. */
export function abortFuseConnection(connectionId: number): boolean {
  const ctl = fusectlDir();
  if (ctl === undefined) return false;
  const abort = path.join(ctl, String(connectionId), 'abort');
  try {
    fs.writeFileSync(abort, '1');
    return true;
  } catch {
    return false; // gone already, or not ours
  }
}

function abortConnection(connectionId: number): void {
  abortFuseConnection(connectionId); // best effort: closing the fd aborts it anyway
}

function mountArgs(dir: string, opts: FuseMountOptions): string[] {
  const type = opts.subtype ? `fuse.${opts.subtype}` : 'fuse';
  return ['-i', '-t', type, '-o', 'fd=3,rootmode=40000,user_id=0,group_id=0,allow_other', opts.source ?? 'ntsfuse', dir];
}

// ---------------------------------------------------------------------------------------------
// fixtures
// ---------------------------------------------------------------------------------------------

/** A fresh mkdtemp directory in os.tmpdir() to hold mountpoints. */
export function makeFuseRoot(prefix = 'nts-fuse-'): FuseRoot {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const dirs = new Set<string>();
  return {
    root,
    dir(name: string): string {
      const d = path.join(root, name);
      fs.mkdirSync(d, { recursive: true });
      dirs.add(d);
      return d;
    },
    async cleanup(): Promise<void> {
      const below = (d: string): boolean => d === root || d.startsWith(`${root}/`);
      await Promise.all([...registry].filter((r) => below(r.dir)).map((r) => r.release()));
      // Anything else mounted below root (deepest first).
      const leftovers = readMountInfo()
        .map((e) => e.mountPoint)
        .filter(below)
        .sort((a, b) => b.length - a.length);
      for (const d of leftovers) await lazyUnmount(d);
      const all = [...dirs].sort((a, b) => b.length - a.length);
      for (const d of [...all, root]) {
        try {
          if (!isMounted(d)) fs.rmdirSync(d);
        } catch {
          // not empty / already gone: leave it rather than recurse
        }
      }
    },
  };
}

/**
 * Mounts a FUSE filesystem on `dir` whose connection is never served (not even FUSE_INIT):
 * statfs()/stat() on it block until release().
 */
export async function mountHungFuse(dir: string, opts: FuseMountOptions = {}): Promise<HungMount> {
  const canon = fs.realpathSync(dir);
  if (isMounted(canon)) throw new Error(`${canon} is already a mountpoint`);
  const fd = fs.openSync('/dev/fuse', 'r+');
  let r: RunResult;
  try {
    r = await run('mount', mountArgs(canon, opts), { timeoutMs: MOUNT_TIMEOUT_MS, extraFd: fd });
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  const entry = mountAt(canon);
  if (r.code !== 0 || !entry || !entry.fsType.startsWith('fuse')) {
    fs.closeSync(fd);
    if (entry?.fsType.startsWith('fuse')) await lazyUnmount(canon);
    throw new Error(`mount of hung FUSE on ${canon} failed (${r.timedOut ? 'timed out' : (r.code ?? r.signal)}): ${r.stderr.trim()}`);
  }
  const connectionId = connectionIdOfDevice(entry.device);
  let fdOpen = true;
  const closeFd = (): void => {
    if (!fdOpen) return;
    fdOpen = false;
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
  };
  let releasing: Promise<void> | undefined;
  const reg: Registered = {
    dir: canon,
    device: entry.device,
    connectionId,
    release: () => {
      releasing ??= (async () => {
        try {
          abortConnection(connectionId);
          closeFd(); // last /dev/fuse fd of the connection: aborts it
          await lazyUnmount(canon);
          await waitUnmounted(canon, UNMOUNT_WAIT_MS);
        } catch {
          // never throw from cleanup
        } finally {
          unregister(reg);
        }
      })();
      return releasing;
    },
    releaseSync: () => {
      abortConnection(connectionId);
      closeFd();
      lazyUnmountSync(canon);
    },
  };
  register(reg);
  return { dir: canon, connectionId, device: entry.device, release: reg.release };
}

/** Mounts `count` hung FUSE filesystems on root.dir(`${prefix}${i}`). On failure, the ones already
 *  mounted are released before the error propagates. */
export async function mountHungFuses(root: FuseRoot, count: number, prefix = 'hung'): Promise<HungMount[]> {
  const mounts: HungMount[] = [];
  try {
    for (let i = 0; i < count; i++) mounts.push(await mountHungFuse(root.dir(`${prefix}${i}`)));
    return mounts;
  } catch (e) {
    await Promise.all(mounts.map((m) => m.release()));
    throw e;
  }
}

/**
 * Starts the statfs FUSE server (a separate process) on `dir` and resolves once it is mounted.
 * statfs(dir) then reports `stats`; stat(dir) a root-owned directory 0755.
 */
export async function startStatfsFuse(dir: string, stats: FuseStatfsValues, opts: FuseMountOptions = {}): Promise<StatfsFuse> {
  const canon = fs.realpathSync(dir);
  if (isMounted(canon)) throw new Error(`${canon} is already a mountpoint`);
  if (!fs.existsSync(statfsServerScript)) throw new Error(`${statfsServerScript} missing (run tsc)`);
  const config = {
    bsize: stats.bsize,
    frsize: stats.frsize,
    namelen: stats.namelen,
    blocks: String(stats.blocks),
    bfree: String(stats.bfree),
    bavail: String(stats.bavail),
    files: String(stats.files),
    ffree: String(stats.ffree),
    ...(opts.source !== undefined ? { source: opts.source } : {}),
    ...(opts.subtype !== undefined ? { subtype: opts.subtype } : {}),
  };
  // stdin stays a pipe held by this process: when we go away, the server unmounts and exits.
  const child = spawn(process.execPath, [statfsServerScript, canon, JSON.stringify(config)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // The server's 'error' (e.g. spawn failure) must not become an uncaught exception.
  child.on('error', (e) => (stderr += e.message));

  const ready = await new Promise<{ ok: true; connectionId: number } | { ok: false; why: string }>((resolve) => {
    let out = '';
    const timer = setTimeout(() => resolve({ ok: false, why: 'timed out waiting for "ready"' }), MOUNT_TIMEOUT_MS);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^ready (.*) (-?\d+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ ok: true, connectionId: Number(m[2]) });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ ok: false, why: `server exited (${code ?? signal})` });
    });
  });

  const hardStop = async (): Promise<void> => {
    child.ref(); // keep the process alive while waiting for the exit (unref'd after "ready")
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, deadline(UNMOUNT_WAIT_MS)]);
    }
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL'); // its exit closes /dev/fuse, which aborts the connection
      await Promise.race([exited, deadline(UNMOUNT_WAIT_MS)]);
    }
    await lazyUnmount(canon);
    await waitUnmounted(canon, UNMOUNT_WAIT_MS);
  };

  if (!ready.ok) {
    await hardStop();
    throw new Error(`statfs FUSE server on ${canon} failed: ${ready.why}: ${stderr.trim()}`);
  }

  // Don't let a forgotten fixture keep the test process alive (the exit hook still cleans up).
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as { unref?: () => void } | null)?.unref?.();

  const entry = mountAt(canon);
  const connectionId = ready.connectionId >= 0 ? ready.connectionId : connectionIdOfDevice(entry?.device ?? '0:0');
  let stopping: Promise<void> | undefined;
  const reg: Registered = {
    dir: canon,
    device: entry?.device ?? '',
    connectionId,
    release: () => {
      stopping ??= (async () => {
        try {
          await hardStop();
        } catch {
          // never throw from cleanup
        } finally {
          unregister(reg);
        }
      })();
      return stopping;
    },
    releaseSync: () => {
      lazyUnmountSync(canon);
      try {
        child.kill('SIGKILL');
      } catch {
        // gone
      }
    },
  };
  register(reg);
  return { dir: canon, connectionId, pid: child.pid ?? -1, stop: reg.release };
}
