import { monotonicMs } from '../clock.js';
import type { Logger } from '../logger.js';
import { type HeapTrim, trimHeap } from '../native.js';

/** What the HTTP server tells its heap trimmer (a HeapTrimmer; tests give their own). */
export type HeapTrimHooks = Pick<HeapTrimmer, 'scrapeEnded' | 'afterStart'>;

/**
 * Gives the C heap's free pages back to the kernel when scrapes pause. glibc hands back only the
 * top of its heap; what a burst of scrapes frees in the middle (zlib's state for each gzipped
 * answer, V8's compiler zones while code warms up, buffers) stays resident though unused: ~20 MiB
 * after a burst on Node.js 24, ~1.5 MiB on Node.js 20. malloc_trim(3) releases it.
 *
 * Called as each scrape ends; trims when no scrape is in flight, at most once per `intervalMs`
 * (a burst of back-to-back scrapes trims once per interval, a node scraped every 15 s after each
 * scrape), on the addon's pool rather than the event loop. A scrape that ends with none in flight
 * too soon after the last trim (the end of a burst) leaves one trim pending for when the interval
 * is up: otherwise what the burst's last second freed stayed resident until the next scrape.
 */
export class HeapTrimmer {
  private lastStart = Number.NEGATIVE_INFINITY;
  private running = false;
  /** The trim left for the end of the interval, if one is. */
  private pending: NodeJS.Timeout | undefined;
  /** Scrapes in flight now (the server's count, from afterStart); a pending trim asks it. */
  private inFlightNow: () => number = () => 0;
  private stopped = false;
  /** A scrape ended with none in flight while a trim ran. */
  private endedWhileRunning = false;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
    private readonly trim: () => Promise<HeapTrim> = trimHeap,
    private readonly now: () => number = monotonicMs,
  ) {}

  /**
   * One trim once start-up has settled (`delayMs` after listening), as after a scrape and under
   * the same rules: loading the modules and compiling what start-up runs leave freed C heap too
   * (Node.js 24: 2.2 MiB right after start, Node.js 20: 0.5). `inFlight` tells how many scrapes
   * run at any time (then, and when a pending trim is due). Returns what stops it and any pending
   * trim for good (the server closing).
   */
  afterStart(delayMs: number, inFlight: () => number): () => void {
    this.inFlightNow = inFlight;
    const timer = setTimeout(() => this.scrapeEnded(inFlight()), delayMs);
    timer.unref();
    return () => {
      clearTimeout(timer);
      this.stopped = true;
      clearTimeout(this.pending);
      this.pending = undefined;
    };
  }

  /** A scrape has ended and `inFlight` others are still running. */
  scrapeEnded(inFlight: number): void {
    if (inFlight > 0) {
      // The last of them to end decides.
      clearTimeout(this.pending);
      this.pending = undefined;
      return;
    }
    if (this.stopped) return;
    if (this.running) {
      // Decided once that trim is done (it may be the burst's last scrape).
      this.endedWhileRunning = true;
      return;
    }
    const t = this.now();
    const wait = this.lastStart + this.intervalMs - t;
    if (wait > 0) {
      if (this.pending === undefined) {
        this.pending = setTimeout(() => {
          this.pending = undefined;
          this.scrapeEnded(this.inFlightNow());
        }, wait);
        this.pending.unref();
      }
      return;
    }
    clearTimeout(this.pending);
    this.pending = undefined;
    this.lastStart = t;
    this.running = true;
    this.trim().then(
      (r) => {
        this.trimDone();
        if (this.logger.debugEnabled) this.logger.debug('heap trimmed', { released: r.released, duration_seconds: r.seconds });
      },
      (err: unknown) => {
        this.trimDone();
        this.logger.debug('heap trim failed', { err });
      },
    );
  }

  private trimDone(): void {
    this.running = false;
    if (!this.endedWhileRunning) return;
    this.endedWhileRunning = false;
    this.scrapeEnded(this.inFlightNow());
  }
}
