/**
 * A minimal FUSE filesystem server, talking to the kernel directly through /dev/fuse
 * (no libfuse, no fusermount, no mount.fuse helper). Test fixture only; root only.
 *
 * Usage (started by test/helpers/fuse.ts, with process.execPath):
 *   node dist/test/helpers/fuse-statfs-server.js <mountpoint> '<json config>'
 * where the config is {bsize, frsize, blocks, bfree, bavail, files, ffree, namelen, source?, subtype?}
 * (the u64 counters as decimal strings or numbers).
 *
 * It opens /dev/fuse, mounts it on <mountpoint> with `mount -i -t fuse -o fd=3,...`, prints
 * "ready <mountpoint> <connection id>" on stdout, then answers:
 *   FUSE_INIT     -> protocol 7.min(kernel, 38), no optional features
 *   FUSE_GETATTR  -> the root directory (mode 040755, nlink 2, uid/gid 0)
 *   FUSE_STATFS   -> the configured numbers
 *   FORGET, BATCH_FORGET, INTERRUPT, NOTIFY_REPLY -> no reply (as the protocol says)
 *   DESTROY       -> empty success reply
 *   anything else -> ENOSYS
 *
 * The blocking read(2) loop on /dev/fuse runs in a worker thread (readSync: it blocks that
 * thread only, never the libuv pool), so the main thread stays free to handle SIGTERM/SIGINT
 * and the end of stdin (the parent went away): all three lazily unmount the mountpoint and
 * exit 0. When the read fails with ENODEV (the connection was aborted or the filesystem was
 * unmounted), the worker ends and the process exits 0 as well.
 *
 * Struct layouts: include/uapi/linux/fuse.h.
 *
 * When run without arguments (e.g. picked up by `node --test dist/test/`, which runs every
 * .js file under a directory named test), it does nothing and exits 0.
 */
import fs from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { Worker, isMainThread, workerData } from 'node:worker_threads';

// ---- protocol constants (include/uapi/linux/fuse.h) ----
const FUSE_KERNEL_VERSION = 7;
/** Highest minor we speak; the layouts used below are those of 7.38 (a superset of older ones). */
const OUR_MINOR = 38;
const FUSE_COMPAT_22_INIT_OUT_SIZE = 24;

const FUSE_LOOKUP = 1;
const FUSE_FORGET = 2;
const FUSE_GETATTR = 3;
const FUSE_STATFS = 17;
const FUSE_INIT = 26;
const FUSE_INTERRUPT = 36;
const FUSE_DESTROY = 38;
const FUSE_NOTIFY_REPLY = 41;
const FUSE_BATCH_FORGET = 42;

const FUSE_ROOT_ID = 1n;

const IN_HEADER_SIZE = 40; // len u32, opcode u32, unique u64, nodeid u64, uid, gid, pid u32, total_extlen u16, padding u16
const OUT_HEADER_SIZE = 16; // len u32, error i32, unique u64
const INIT_OUT_SIZE = 64;
const ATTR_OUT_SIZE = 104; // attr_valid u64, attr_valid_nsec u32, dummy u32, fuse_attr (88)
const STATFS_OUT_SIZE = 80; // fuse_kstatfs

const ENOENT = 2;
const ENOSYS = 38;
const EPROTO = 71;

/** What the parent passes (JSON, second argument). */
export interface StatfsServerConfig {
  bsize: number;
  frsize: number;
  blocks: string | number;
  bfree: string | number;
  bavail: string | number;
  files: string | number;
  ffree: string | number;
  namelen: number;
  /** mount source shown in /proc/self/mountinfo (default "ntsfuse"). */
  source?: string;
  /** when set, mounted as type fuse.<subtype>. */
  subtype?: string;
}

interface WorkerInput {
  fd: number;
  config: StatfsServerConfig;
  debug: boolean;
}

function errnoOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

// ---------------------------------------------------------------------------------------------
// worker thread: the /dev/fuse request loop
// ---------------------------------------------------------------------------------------------
function serve({ fd, config, debug }: WorkerInput): void {
  const log = (msg: string): void => {
    if (debug) process.stderr.write(`fuse-statfs-server: ${msg}\n`);
  };
  // The kernel refuses reads with buffers smaller than in_header + write_in + max_write (~128 KiB).
  const buf = Buffer.alloc(1024 * 1024);
  const startSec = BigInt(Math.floor(Date.now() / 1000));

  const reply = (unique: bigint, error: number, payload?: Buffer): void => {
    const body = payload ?? Buffer.alloc(0);
    const out = Buffer.alloc(OUT_HEADER_SIZE + body.length);
    out.writeUInt32LE(out.length, 0);
    out.writeInt32LE(error === 0 ? 0 : -Math.abs(error), 4);
    out.writeBigUInt64LE(unique, 8);
    body.copy(out, OUT_HEADER_SIZE);
    try {
      fs.writeSync(fd, out, 0, out.length);
    } catch (e) {
      // ENOENT: the request was interrupted/aborted meanwhile; ENODEV: connection gone.
      log(`write reply for ${unique} failed: ${errnoOf(e) ?? String(e)}`);
    }
  };

  const u64 = (v: string | number): bigint => BigInt(v);

  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      const code = errnoOf(e);
      if (code === 'EINTR' || code === 'EAGAIN' || code === 'ENOENT') continue;
      if (code === 'ENODEV') {
        log('connection gone (ENODEV), exiting');
        return;
      }
      throw e;
    }
    if (n < IN_HEADER_SIZE) {
      log(`short read ${n}`);
      continue;
    }
    const opcode = buf.readUInt32LE(4);
    const unique = buf.readBigUInt64LE(8);
    const nodeid = buf.readBigUInt64LE(16);
    const body = buf.subarray(IN_HEADER_SIZE, n);
    log(`op ${opcode} unique ${unique} node ${nodeid} len ${n}`);

    switch (opcode) {
      case FUSE_INIT: {
        const kmajor = body.readUInt32LE(0);
        const kminor = body.readUInt32LE(4);
        const maxReadahead = body.length >= 12 ? body.readUInt32LE(8) : 0;
        if (kmajor !== FUSE_KERNEL_VERSION) {
          // Only protocol 7 is spoken here (a newer major would need version negotiation).
          reply(unique, EPROTO);
          break;
        }
        const minor = Math.min(kminor, OUR_MINOR);
        const out = Buffer.alloc(INIT_OUT_SIZE);
        out.writeUInt32LE(FUSE_KERNEL_VERSION, 0); // major
        out.writeUInt32LE(minor, 4); // minor
        out.writeUInt32LE(maxReadahead, 8); // max_readahead
        out.writeUInt32LE(0, 12); // flags: no optional features
        out.writeUInt16LE(0, 16); // max_background (0 = kernel default)
        out.writeUInt16LE(0, 18); // congestion_threshold
        out.writeUInt32LE(128 * 1024, 20); // max_write
        out.writeUInt32LE(1, 24); // time_gran (ns)
        // max_pages, map_alignment, flags2, unused[7]: 0
        reply(unique, 0, minor < 23 ? out.subarray(0, FUSE_COMPAT_22_INIT_OUT_SIZE) : out);
        log(`INIT kernel ${kmajor}.${kminor} -> ${FUSE_KERNEL_VERSION}.${minor}`);
        break;
      }
      case FUSE_GETATTR: {
        if (nodeid !== FUSE_ROOT_ID) {
          reply(unique, ENOENT);
          break;
        }
        const out = Buffer.alloc(ATTR_OUT_SIZE);
        out.writeBigUInt64LE(1n, 0); // attr_valid (s)
        out.writeUInt32LE(0, 8); // attr_valid_nsec
        const a = 16; // struct fuse_attr
        out.writeBigUInt64LE(FUSE_ROOT_ID, a + 0); // ino
        out.writeBigUInt64LE(0n, a + 8); // size
        out.writeBigUInt64LE(0n, a + 16); // blocks
        out.writeBigUInt64LE(startSec, a + 24); // atime
        out.writeBigUInt64LE(startSec, a + 32); // mtime
        out.writeBigUInt64LE(startSec, a + 40); // ctime
        // atimensec, mtimensec, ctimensec (a+48..a+60): 0
        out.writeUInt32LE(0o040755, a + 60); // mode
        out.writeUInt32LE(2, a + 64); // nlink
        out.writeUInt32LE(0, a + 68); // uid
        out.writeUInt32LE(0, a + 72); // gid
        out.writeUInt32LE(0, a + 76); // rdev
        out.writeUInt32LE(4096, a + 80); // blksize
        out.writeUInt32LE(0, a + 84); // flags
        reply(unique, 0, out);
        break;
      }
      case FUSE_STATFS: {
        const out = Buffer.alloc(STATFS_OUT_SIZE);
        out.writeBigUInt64LE(u64(config.blocks), 0);
        out.writeBigUInt64LE(u64(config.bfree), 8);
        out.writeBigUInt64LE(u64(config.bavail), 16);
        out.writeBigUInt64LE(u64(config.files), 24);
        out.writeBigUInt64LE(u64(config.ffree), 32);
        out.writeUInt32LE(config.bsize, 40);
        out.writeUInt32LE(config.namelen, 44);
        out.writeUInt32LE(config.frsize, 48);
        // padding, spare[6]: 0
        reply(unique, 0, out);
        break;
      }
      case FUSE_LOOKUP:
        // Only the root directory exists.
        reply(unique, ENOENT);
        break;
      case FUSE_FORGET:
      case FUSE_BATCH_FORGET:
      case FUSE_INTERRUPT:
      case FUSE_NOTIFY_REPLY:
        // No reply expected (an INTERRUPT may be ignored: the original request is answered anyway).
        break;
      case FUSE_DESTROY:
        reply(unique, 0);
        break;
      default:
        reply(unique, ENOSYS);
        break;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// main thread: mount, start the worker, handle shutdown
// ---------------------------------------------------------------------------------------------
function parseConfig(raw: string): StatfsServerConfig {
  const c = JSON.parse(raw) as Partial<StatfsServerConfig>;
  for (const k of ['bsize', 'frsize', 'namelen'] as const) {
    const v = c[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`bad ${k}: ${String(v)}`);
  }
  for (const k of ['blocks', 'bfree', 'bavail', 'files', 'ffree'] as const) {
    const v = c[k];
    if (v === undefined) throw new Error(`missing ${k}`);
    const b = BigInt(v);
    if (b < 0n || b > 0xffffffffffffffffn) throw new Error(`bad ${k}: ${String(v)}`);
  }
  return c as StatfsServerConfig;
}

function isMountpoint(dir: string): boolean {
  const want = dir.replace(/[\\ \t\n]/g, (ch) => `\\${ch.charCodeAt(0).toString(8).padStart(3, '0')}`);
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[4] === want);
}

function connectionIdOf(dir: string): number | undefined {
  const want = dir.replace(/[\\ \t\n]/g, (ch) => `\\${ch.charCodeAt(0).toString(8).padStart(3, '0')}`);
  let id: number | undefined;
  for (const l of fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const f = l.split(' ');
    if (f[4] !== want) continue;
    const m = /^(\d+):(\d+)$/.exec(f[2] ?? '');
    if (m) id = Number(m[1]) * 2 ** 20 + Number(m[2]);
  }
  return id;
}

function abortThroughFusectl(connectionId: number): void {
  for (const l of fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const f = l.split(' ');
    if (f[f.indexOf('-', 6) + 1] !== 'fusectl' || f[4] === undefined) continue;
    try {
      fs.writeFileSync(`${f[4]}/${connectionId}/abort`, '1');
      return;
    } catch {
      // try another fusectl mount, if any
    }
  }
}

function main(argv: string[]): void {
  const mountpoint = argv[0];
  const rawConfig = argv[1];
  if (mountpoint === undefined || rawConfig === undefined) return; // see header comment
  const config = parseConfig(rawConfig);
  const debug = process.env.NTS_FUSE_DEBUG === '1';

  const fd = fs.openSync('/dev/fuse', 'r+');
  let worker: Worker | undefined;
  let mounted = false;
  let shuttingDown = false;
  let mountChild: ReturnType<typeof spawn> | undefined;
  let mountDone = false;
  let connId: number | undefined;

  const lazyUnmount = (): void => {
    if (!mounted) return;
    mounted = false;
    if (!isMountpoint(mountpoint)) return;
    spawnSync('umount', ['-l', '-i', '-c', mountpoint], { stdio: 'ignore', timeout: 5000 });
  };

  const shutdown = (why: string): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    if (debug) process.stderr.write(`fuse-statfs-server: shutdown (${why})\n`);
    if (mountChild && !mountDone) return; // the mount's 'close' handler finishes the shutdown
    lazyUnmount();
    if (!worker) process.exit(0);
    // Unmounting normally destroys the superblock, which aborts the connection: the worker's
    // read then fails with ENODEV and it exits (-> process.exit(0) in its 'exit' handler).
    // If something still pins the filesystem (an open file, a cwd inside), the connection stays
    // up and the worker stays blocked in read(2), and then process.exit() would wait for it
    // forever. So: abort through fusectl if it is mounted, and as a last resort SIGKILL
    // ourselves: the kernel then closes /dev/fuse, which aborts the connection too.
    setTimeout(() => {
      if (connId !== undefined) abortThroughFusectl(connId);
      setTimeout(() => process.kill(process.pid, 'SIGKILL'), 500);
    }, 1000);
  };

  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // The parent keeps a pipe on our stdin: when it goes away (even by SIGKILL), clean up.
  let stdinIsPipe = false;
  try {
    const st = fs.fstatSync(0);
    stdinIsPipe = st.isFIFO() || st.isSocket();
  } catch {
    // no stdin at all
  }
  if (stdinIsPipe) {
    process.stdin.on('end', () => shutdown('stdin closed'));
    process.stdin.on('error', () => shutdown('stdin error'));
    process.stdin.resume();
  }

  const source = config.source ?? 'ntsfuse';
  const type = config.subtype ? `fuse.${config.subtype}` : 'fuse';
  const opts = 'fd=3,rootmode=40000,user_id=0,group_id=0,allow_other';
  const child = (mountChild = spawn('mount', ['-i', '-t', type, '-o', opts, source, mountpoint], {
    stdio: ['ignore', 'pipe', 'pipe', fd],
    timeout: 10_000,
    killSignal: 'SIGKILL',
  }));
  let errText = '';
  child.stdout?.on('data', (d: Buffer) => (errText += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (errText += d.toString()));
  child.on('error', (e) => {
    process.stderr.write(`fuse-statfs-server: cannot run mount: ${e.message}\n`);
    process.exit(1);
  });
  child.on('close', (code, signal) => {
    mountDone = true;
    if (code !== 0) {
      process.stderr.write(`fuse-statfs-server: mount failed (${code ?? signal}): ${errText.trim()}\n`);
      process.exit(1);
    }
    mounted = true;
    if (shuttingDown) {
      lazyUnmount();
      process.exit(0);
    }
    const input: WorkerInput = { fd, config, debug };
    worker = new Worker(new URL(import.meta.url), { workerData: input, stdout: false, stderr: false });
    worker.on('error', (e) => {
      process.stderr.write(`fuse-statfs-server: worker failed: ${e.stack ?? e.message}\n`);
      lazyUnmount();
      process.exit(1);
    });
    worker.on('exit', () => {
      lazyUnmount();
      process.exit(0);
    });
    connId = connectionIdOf(mountpoint);
    process.stdout.write(`ready ${mountpoint} ${connId ?? -1}\n`);
  });
}

if (isMainThread) {
  main(process.argv.slice(2));
} else {
  serve(workerData as WorkerInput);
}
