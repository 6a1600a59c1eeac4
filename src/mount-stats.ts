import { performance } from 'node:perf_hooks';
import type { Logger } from './logger.js';
import type { Statfs } from './native.js';

export type StatfsFn = (path: string) => Promise<Statfs>;

export type StatOutcome =
  | { kind: 'ok'; stat: Statfs }
  | { kind: 'error'; error: Error }
  /** No answer in time: the call is still outstanding (a hung NFS/FUSE mount, say). */
  | { kind: 'timeout' };

interface Call {
  result: Promise<StatOutcome>;
  /** Ran longer than the mount timeout: report it at once until it returns. */
  stuck: boolean;
}

const TIMEOUT: StatOutcome = { kind: 'timeout' };

/** A healthy statfs takes microseconds; one that takes this long is not holding up the rest. */
export const SLOT_HOLD_MS = 1000;

/**
 * The policy around statfs(2) on possibly dead mounts (the syscall itself runs on the addon's
 * own threads). At most one call per path is ever outstanding; scrapes that need the same path
 * share it. At most `workers` calls run at once, but a call still running after SLOT_HOLD_MS (or
 * half the mount timeout, if shorter) gives up its slot: hung mounts cost a parked thread each
 * and never starve the others.
 * A stuck path is reported as a timeout straight away until its call returns; then it is
 * measured again as normal.
 */
export class MountStatter {
  private readonly calls = new Map<string, Call>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly statfs: StatfsFn,
    private readonly workers: number,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {}

  /** Paths with a call outstanding (tests and diagnostics). */
  get outstanding(): number {
    return this.calls.size;
  }

  /** An outcome for every path by `until` (a performance.now() time), whatever the mounts do. */
  async statAll(paths: readonly string[], until: number): Promise<Map<string, StatOutcome>> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<StatOutcome>((resolve) => {
      timer = setTimeout(() => resolve(TIMEOUT), Math.max(0, until - performance.now()));
    });
    try {
      const unique = [...new Set(paths)];
      const outcomes = await Promise.all(unique.map((p) => this.statOne(p, expired)));
      return new Map(unique.map((p, i) => [p, outcomes[i] ?? TIMEOUT]));
    } finally {
      clearTimeout(timer);
    }
  }

  private async statOne(path: string, expired: Promise<StatOutcome>): Promise<StatOutcome> {
    const existing = this.calls.get(path);
    if (existing?.stuck) return TIMEOUT;
    const call = existing ?? this.start(path);
    const outcome = await Promise.race([call.result, expired]);
    // Still no answer by the deadline (running, or queued behind hung calls): later scrapes
    // report it at once instead of waiting for it again.
    if (outcome === TIMEOUT && this.calls.get(path) === call) this.markStuck(path, call);
    return outcome;
  }

  private markStuck(path: string, call: Call): void {
    if (call.stuck) return;
    call.stuck = true;
    this.logger.warn('statfs did not return in time; reporting "mountpoint timeout" until it does', {
      mountpoint: path,
      timeout_seconds: this.timeoutMs / 1000,
    });
  }

  private start(path: string): Call {
    const call: Call = { stuck: false, result: Promise.resolve(TIMEOUT) };
    call.result = (async () => {
      await this.acquire();
      let holding = true;
      const release = () => {
        if (holding) {
          holding = false;
          this.release();
        }
      };
      const slowTimer = setTimeout(release, Math.min(SLOT_HOLD_MS, this.timeoutMs / 2));
      const timer = setTimeout(() => this.markStuck(path, call), this.timeoutMs);
      try {
        return { kind: 'ok', stat: await this.statfs(path) } as const;
      } catch (error) {
        return { kind: 'error', error: error as Error } as const;
      } finally {
        clearTimeout(slowTimer);
        clearTimeout(timer);
        release();
        this.calls.delete(path);
        if (call.stuck) this.logger.info('statfs returned again; mount point is measured as normal', { mountpoint: path });
      }
    })();
    this.calls.set(path, call);
    return call;
  }

  private acquire(): Promise<void> {
    if (this.running < this.workers) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next();
    else this.running--;
  }
}
