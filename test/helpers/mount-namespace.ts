/**
 * A private mount namespace full of mounts, for benchmarks and root-only system tests: nothing
 * made here is seen by the host (pid 1) or by other tests running at the same time.
 *
 * One python3 process, started with `unshare --mount --propagation private`, holds the namespace
 * and makes every mount in it (one process for thousands of mounts instead of a mount(8) each):
 *  - tmpfs mounts (source "ntsbench", size 64 KiB), under a tmpfs of its own at `base`;
 *  - FUSE mounts that never answer: it opens /dev/fuse, mounts with that fd and never reads it,
 *    so statfs() on them blocks in the kernel until release() closes the fds (which aborts the
 *    connections) or the process exits.
 * Programs run inside with `nsenter -t <pid> -m`. `procfs` is a directory whose `1` is a
 * symlink to /proc/self, so an exporter given --path.procfs=<procfs> reads its own mount table
 * (the namespace's) where it would read pid 1's.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const MOUNTER = `
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
fuse_fds = []
for line in sys.stdin:
    op, arg = line.rstrip('\\n').split(' ', 1)
    r = 0
    if op == 'sync':
        print('ok', flush=True)
        continue
    if op in ('base', 'mount', 'hung'):
        os.makedirs(arg, exist_ok=True)
    if op == 'base':
        r = libc.mount(b'ntsbase', arg.encode(), b'tmpfs', 0, b'size=16m')
    elif op == 'mount':
        r = libc.mount(b'ntsbench', arg.encode(), b'tmpfs', 0, b'size=64k')
    elif op == 'hung':
        fd = os.open('/dev/fuse', os.O_RDWR | os.O_CLOEXEC)
        fuse_fds.append(fd)
        r = libc.mount(b'ntsfuse', arg.encode(), b'fuse', 0, ('fd=%d,rootmode=40000,user_id=0,group_id=0' % fd).encode())
    elif op == 'release':
        for fd in fuse_fds:
            os.close(fd)
        fuse_fds.clear()
    elif op == 'umount':
        r = libc.umount2(arg.encode(), 2)
    if r != 0:
        print('error', op, arg, os.strerror(ctypes.get_errno()), flush=True)
`;

/** Why a mount namespace cannot be made here, or undefined when it can. */
export function mountNamespaceBlocker(needFuse = false): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (unshare --mount, mount)';
  for (const cmd of ['unshare', 'nsenter', 'python3']) {
    if (spawnSync(cmd, ['--version']).error !== undefined) return `needs ${cmd}`;
  }
  if (needFuse && spawnSync('test', ['-c', '/dev/fuse']).status !== 0) return 'needs /dev/fuse';
  return undefined;
}

export class MountNamespace {
  private readonly replies: AsyncIterator<string>;

  private constructor(
    private readonly holder: ChildProcess,
    /** Where the mounts go (a tmpfs in the namespace; an empty directory outside it). */
    readonly base: string,
    /** --path.procfs for programs in the namespace: its `1` is /proc/self. */
    readonly procfs: string,
    private readonly dirs: string[],
  ) {
    this.replies = createInterface({ input: holder.stdout ?? process.stdin })[Symbol.asyncIterator]();
  }

  static async create(prefix = 'nts-mountns-'): Promise<MountNamespace> {
    const base = mkdtempSync(path.join(tmpdir(), prefix));
    const procfs = mkdtempSync(path.join(tmpdir(), `${prefix}proc-`));
    symlinkSync('/proc/self', path.join(procfs, '1'));
    const holder = spawn('unshare', ['--mount', '--propagation', 'private', 'python3', '-c', MOUNTER], { stdio: ['pipe', 'pipe', 'inherit'] });
    const ns = new MountNamespace(holder, base, procfs, [base, procfs]);
    await ns.run([`base ${base}`]);
    return ns;
  }

  /** pid of the process holding the namespace (for nsenter -t). */
  get pid(): number {
    return this.holder.pid ?? 0;
  }

  /** The command prefix that runs a program in the namespace. */
  get enter(): string[] {
    return ['nsenter', '-t', String(this.pid), '-m', '--'];
  }

  /** Mounts a tmpfs at each directory (created as needed). */
  mount(dirs: readonly string[]): Promise<void> {
    return this.run(dirs.map((d) => `mount ${d}`));
  }

  umount(dirs: readonly string[]): Promise<void> {
    return this.run(dirs.map((d) => `umount ${d}`));
  }

  /** FUSE mounts whose connection is never served: statfs on them hangs until release(). */
  mountHung(dirs: readonly string[]): Promise<void> {
    return this.run(dirs.map((d) => `hung ${d}`));
  }

  /** Aborts every hung FUSE connection (its statfs calls return with an error). */
  release(): Promise<void> {
    return this.run(['release x']);
  }

  /** Any mix of operations, then a round trip: resolves once all are done; rejects with their errors. */
  async run(lines: readonly string[]): Promise<void> {
    this.holder.stdin?.write(`${[...lines, 'sync x'].join('\n')}\n`);
    const errors: string[] = [];
    for (;;) {
      const r = await this.replies.next();
      if (r.done === true) throw new Error(`mount namespace holder exited${errors.length > 0 ? `: ${errors.join('; ')}` : ''}`);
      if (r.value === 'ok') break;
      errors.push(r.value);
    }
    if (errors.length > 0) throw new Error(`mount namespace: ${errors.slice(0, 5).join('; ')}${errors.length > 5 ? ` (+${errors.length - 5} more)` : ''}`);
  }

  /** Ends the namespace (every mount in it goes with its last process) and removes the directories. */
  async close(): Promise<void> {
    if (this.holder.exitCode === null) {
      const exited = new Promise((resolve) => this.holder.once('exit', resolve));
      this.holder.stdin?.end();
      await exited;
    }
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}
