import { monotonicMs } from './clock.js';
import type { Logger } from './logger.js';
import { STATFS_FIELDS, STATFS_PENDING, statfsAt, statfsError, type Statfs, type StatfsBatch, type StatfsBatchResults } from './native.js';

export type StatfsFn = (path: string) => Promise<Statfs>;
/** A batch from native.ts' statfsBatch, or from a stand-in that keeps its callers' errors. */
export interface MountBatch extends StatfsBatch {
  /** Path i's error as it was raised; without this, one is made from its errno. */
  errorAt?(i: number): Error | undefined;
}
/** native.ts' statfsBatch, or a stand-in (batchOverStatfs). */
export type StatfsBatchFn = (paths: readonly string[], workers: number) => MountBatch;

export type StatOutcome =
  | { kind: 'ok'; stat: Statfs }
  | { kind: 'error'; error: Error }
  /** No answer in time: the call is still outstanding (a hung NFS/FUSE mount, say). */
  | { kind: 'timeout' };

const TIMEOUT: StatOutcome = { kind: 'timeout' };

/** A healthy statfs takes microseconds; a worker inside one call this long is replaced. */
export const SLOT_HOLD_MS = 1000;

/** One batch in flight, and what it gave once it is done. */
interface Run {
  readonly paths: readonly string[];
  readonly batch: MountBatch;
  /** Set when every call has returned. */
  final: StatfsBatchResults | undefined;
  readonly done: Promise<void>;
}

/** A path's outstanding call: path `index` of `run`. */
interface Call {
  readonly run: Run;
  readonly index: number;
  /** Still running at a deadline: reported as a timeout at once until it returns. */
  stuck: boolean;
}

/**
 * The policy around statfs(2) on possibly dead mounts; the calls themselves run in batches on
 * the addon's threads (native.ts statfsBatch). At most one call per path is ever outstanding:
 * scrapes that need a path whose call is running share it. A batch runs on at most `workers`
 * threads; a worker inside one call for SLOT_HOLD_MS (or half the mount timeout, if shorter) is
 * replaced, so hung mounts cost a parked thread each and never starve the paths after them.
 * A stuck path is reported as a timeout straight away until its call returns; then it is
 * measured again as normal.
 */
export class MountStatter {
  private readonly calls = new Map<string, Call>();
  private readonly holdMs: number;

  constructor(
    private readonly statfsBatch: StatfsBatchFn,
    private readonly workers: number,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {
    this.holdMs = Math.min(SLOT_HOLD_MS, timeoutMs / 2);
  }

  /** Paths with a call outstanding (tests and diagnostics). */
  get outstanding(): number {
    return this.calls.size;
  }

  /** An outcome for every path by `until` (a monotonicMs() time), whatever the mounts do. */
  async statAll(paths: readonly string[], until: number): Promise<Map<string, StatOutcome>> {
    const outcomes = new Map<string, StatOutcome>();
    const waiting = new Map<string, Call>();
    const fresh = new Set<string>();
    // One look per batch per scrape at how far its stuck calls got.
    const peeked = new Map<Run, StatfsBatchResults>();
    const progress = (run: Run) => {
      let r = run.final ?? peeked.get(run);
      if (r === undefined) peeked.set(run, (r = run.batch.peek()));
      return r;
    };
    for (const path of paths) {
      if (outcomes.has(path) || waiting.has(path) || fresh.has(path)) continue;
      const call = this.calls.get(path);
      if (call === undefined) {
        fresh.add(path);
      } else if (!call.stuck) {
        waiting.set(path, call);
      } else if (progress(call.run).status[call.index] !== STATFS_PENDING) {
        // Its call came back since: measure it again now.
        this.returned(path, call);
        fresh.add(path);
      } else {
        outcomes.set(path, TIMEOUT);
      }
    }
    if (fresh.size > 0) {
      this.start([...fresh]);
      for (const path of fresh) waiting.set(path, this.calls.get(path)!);
    }
    await this.wait(new Set([...waiting.values()].map((c) => c.run)), until);
    peeked.clear();
    for (const [path, call] of waiting) {
      const r = progress(call.run);
      const status = r.status[call.index] ?? STATFS_PENDING;
      if (status === STATFS_PENDING) {
        outcomes.set(path, TIMEOUT);
        if (this.calls.get(path) === call) this.markStuck(path, call);
        continue;
      }
      // Its call is over, even if others of its batch are not.
      if (this.calls.get(path) === call) this.returned(path, call);
      if (status === 0) {
        outcomes.set(path, { kind: 'ok', stat: statfsAt(r.stats, call.index) });
      } else {
        outcomes.set(path, { kind: 'error', error: call.run.batch.errorAt?.(call.index) ?? statfsError(path, status) });
      }
    }
    return outcomes;
  }

  /** Until every run is done, or `until`. */
  private async wait(runs: Set<Run>, until: number): Promise<void> {
    const pending = [...runs].filter((r) => r.final === undefined).map((r) => r.done);
    if (pending.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, until - monotonicMs()));
    });
    try {
      await Promise.race([Promise.all(pending), expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  private start(paths: string[]): Run {
    const workers = Math.min(this.workers, paths.length);
    const batch = this.statfsBatch(paths, workers);
    // Paths queued behind workers stuck in the kernel: replace those workers until every path
    // has been taken. Checked twice per hold, so a worker is replaced within 1.5 holds of
    // entering a call that hangs. Unref'd: a hung mount must not keep the process alive.
    const rescue = setInterval(() => {
      if (batch.rescue(this.holdMs) === 0) clearInterval(rescue);
    }, this.holdMs / 2);
    rescue.unref();
    const run: Run = {
      paths,
      batch,
      final: undefined,
      done: batch.done.then(
        (results) => {
          clearInterval(rescue);
          run.final = results;
          for (const [i, path] of paths.entries()) {
            const call = this.calls.get(path);
            if (call?.run === run && call.index === i) this.returned(path, call);
          }
        },
        (err: unknown) => {
          // Only a thread the system would not start: every path of the batch fails with it.
          clearInterval(rescue);
          const error = err instanceof Error ? err : new Error(String(err));
          const status = new Int32Array(paths.length).fill(Number((error as { errno?: number }).errno) || 1);
          run.final = { status, stats: new Float64Array(paths.length * STATFS_FIELDS), started: paths.length };
          this.logger.warn('statfs batch failed', { err: error });
          for (const [i, path] of paths.entries()) {
            const call = this.calls.get(path);
            if (call?.run === run && call.index === i) this.returned(path, call);
          }
        },
      ),
    };
    for (const [index, path] of paths.entries()) this.calls.set(path, { run, index, stuck: false });
    return run;
  }

  private returned(path: string, call: Call): void {
    this.calls.delete(path);
    if (call.stuck) this.logger.info('statfs returned again; mount point is measured as normal', { mountpoint: path });
  }

  private markStuck(path: string, call: Call): void {
    if (call.stuck) return;
    call.stuck = true;
    this.logger.warn('statfs did not return in time; reporting "mountpoint timeout" until it does', {
      mountpoint: path,
      timeout_seconds: this.timeoutMs / 1000,
    });
  }
}

/**
 * A StatfsBatchFn over a one-path statfs (tests, or a caller with its own statfs): each path's
 * call runs on its own, so nothing queues and rescue has nothing to do.
 */
export function batchOverStatfs(statfs: StatfsFn): StatfsBatchFn {
  return (paths) => {
    const status = new Int32Array(paths.length).fill(STATFS_PENDING);
    const stats = new Float64Array(paths.length * STATFS_FIELDS);
    const errors = new Map<number, Error>();
    const snapshot = (): StatfsBatchResults => ({ status: status.slice(), stats: stats.slice(), started: paths.length });
    const done = Promise.all(
      paths.map((path, i) =>
        statfs(path).then(
          (s) => {
            stats.set([s.type, s.bsize, s.frsize, s.blocks, s.bfree, s.bavail, s.files, s.ffree, s.flags, s.namelen], i * STATFS_FIELDS);
            status[i] = 0;
          },
          (err: unknown) => {
            const errno = Number((err as { errno?: number }).errno);
            errors.set(i, err instanceof Error ? err : new Error(String(err)));
            status[i] = errno > 0 ? errno : 5; // EIO for an error without an errno
          },
        ),
      ),
    ).then(snapshot);
    return { done, peek: snapshot, rescue: () => 0, errorAt: (i) => errors.get(i) };
  };
}
