import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startExporterProcess, type ExporterProcess } from './exporter.js';

/**
 * A host whose interfaces and mounts churn, as on a Kubernetes node, for the churn test and the
 * soak (bench/soak.ts): interfaces live in a network namespace of our own (the exporter keeps
 * the caller's, so it stays reachable on loopback, and reads the churned one's /proc/net through
 * a process living there); tmpfs mounts are made inside the exporter's private mount namespace.
 * Root only; `churnBlocker()` says why not when it cannot run.
 */
export function churnBlocker(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (network and mount namespaces)';
  for (const cmd of ['ip', 'unshare', 'nsenter', 'python3']) {
    if (spawnSync(cmd, ['--version']).error !== undefined) return `needs ${cmd}`;
  }
  return undefined;
}

/** Mounts and unmounts tmpfs from inside the exporter's mount namespace, one process for all. */
const MOUNTER = `
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
for line in sys.stdin:
    op, arg = line.split()
    if op == 'sync':
        print('ok', flush=True)
        continue
    if op == 'mount':
        os.makedirs(arg, exist_ok=True)
        r = libc.mount(b'ntschurn', arg.encode(), b'tmpfs', 0, b'size=64k')
    else:
        r = libc.umount2(arg.encode(), 2)
    if r != 0:
        print('error', op, arg, os.strerror(ctypes.get_errno()), flush=True)
`;

export interface ChurnHost {
  exporter: ExporterProcess;
  pid: number;
  /** Where the churned mounts go (mountpoint label prefix). */
  dir: string;
  /** dummy, or bridge where the kernel has no dummy driver. */
  kind: string;
  /** Round i: the previous round's interfaces and mounts replaced by `count` new ones; their names. */
  churn(round: number): Promise<{ added: string[]; removed: string[] }>;
  close(): Promise<void>;
}

export interface ChurnOptions {
  /** Interfaces and mounts replaced per round. */
  count: number;
  /** Collector flags; the procfs/filesystem flags are added here. */
  collectors: readonly string[];
  /** Also link the rest of the real /proc into the exporter's procfs (the default collectors read the host). */
  realProc?: boolean;
  /** The exporter's --log.level (debug, the default, logs series_cached per scrape; a long run wants less, its output is kept in memory). */
  logLevel?: string;
}

export async function startChurnHost(o: ChurnOptions): Promise<ChurnHost> {
  const ns = `nts-churn-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'nts-churn-'));
  // The exporter reads <procfs>/1/mountinfo; here that is its own (private) mount table.
  const procfs = path.join(dir, 'proc');
  mkdirSync(procfs);
  symlinkSync('/proc/self', path.join(procfs, '1'));
  if (o.realProc === true) {
    for (const e of readdirSync('/proc')) if (!/^\d+$/.test(e) && e !== 'net' && e !== 'self' && e !== 'thread-self') symlinkSync(`/proc/${e}`, path.join(procfs, e));
  }
  execFileSync('ip', ['netns', 'add', ns]);
  const holder = spawn('ip', ['netns', 'exec', ns, 'sleep', '1000000'], { stdio: 'ignore' });
  symlinkSync(`/proc/${holder.pid ?? 0}/net`, path.join(procfs, 'net'));
  let exporter: ExporterProcess | undefined;
  let mounter: ChildProcess | undefined;
  const cleanup = async () => {
    mounter?.stdin?.end();
    await exporter?.stop();
    holder.kill();
    spawnSync('ip', ['netns', 'del', ns]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    exporter = await startExporterProcess(
      [`--path.procfs=${procfs}`, ...o.collectors, `--log.level=${o.logLevel ?? 'debug'}`, `--collector.filesystem.mount-points-include=^${dir}/`],
      ['unshare', '--mount', '--propagation', 'private'],
    );
    const pid = exporter.child.pid ?? 0;
    mounter = spawn('nsenter', ['-t', String(pid), '-m', 'python3', '-c', MOUNTER], { stdio: ['pipe', 'pipe', 'inherit'] });
    const replies = createInterface({ input: mounter.stdout ?? process.stdin })[Symbol.asyncIterator]();
    const mounts = async (lines: string[]) => {
      mounter?.stdin?.write(`${[...lines, 'sync x'].join('\n')}\n`);
      const r = await replies.next();
      assert.equal(r.value, 'ok', `mounter: ${String(r.value)}`);
    };
    // Dummy interfaces where the kernel has them; a bridge is as cheap where it does not.
    const kind = spawnSync('ip', ['-n', ns, 'link', 'add', 'probe0', 'type', 'dummy']).status === 0 ? 'dummy' : 'bridge';
    spawnSync('ip', ['-n', ns, 'link', 'del', 'probe0']);
    const links = (cmds: string[]) => execFileSync('ip', ['-n', ns, '-batch', '-'], { input: `${cmds.join('\n')}\n` });
    let prev: string[] = [];
    const started = exporter;
    return {
      exporter: started,
      pid,
      dir,
      kind,
      async churn(i) {
        const names = Array.from({ length: o.count }, (_, k) => `c${i}x${k}`);
        // Deleting links costs the kernel an RCU grace period (about a second per batch in a
        // VM), so every 100th round deletes and creates the interfaces (one batch, by group) and
        // the rounds between rename them: either way `count` names vanish and as many appear.
        if (i % 100 === 0) {
          if (prev.length > 0) links(['link del group 7']);
          links(names.map((n) => `link add ${n} group 7 type ${kind}`));
        } else {
          links(prev.map((n, k) => `link set dev ${n} name ${names[k] ?? ''}`));
        }
        await mounts([...prev.map((n) => `umount ${dir}/${n}`), ...names.map((n) => `mount ${dir}/${n}`)]);
        const removed = prev;
        prev = names;
        return { added: names, removed };
      },
      close: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** The exporter process's resident set, threads and open fds, from /proc. */
export function processFigures(pid: number): { rssKiB: number; threads: number; fds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    rssKiB: Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]),
    threads: Number(/^Threads:\s+(\d+)$/m.exec(status)?.[1]),
    fds: readdirSync(`/proc/${pid}/fd`).length,
  };
}

/** nodejs_heap_size_used_bytes from a text exposition body, NaN when absent. */
export function heapUsedBytes(body: string): number {
  return Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(body)?.[1]);
}

/** Least-squares slope of ys over xs. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return 0;
  const mx = xs.slice(0, n).reduce((a, b) => a + b, 0) / n;
  const my = ys.slice(0, n).reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    den += ((xs[i] as number) - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
