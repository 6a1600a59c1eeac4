import { monotonicMs } from './clock.js';
import { NoDataError, type Collector } from './collector.js';
import { newDesc } from './exposition/desc.js';
import { keepSeries, nextSeriesGeneration, seriesCacheSize } from './exposition/series.js';
import { CollectorSink, SinkLayout } from './exposition/sink.js';
import { assemble, type SnapshotFamily } from './exposition/snapshot.js';
import type { Logger } from './logger.js';

export interface CollectorOutcome {
  name: string;
  success: boolean;
  durationSeconds: number;
  timedOut: boolean;
  /**
   * Collectors with a min-interval only: seconds since the refresh whose outcome this is began
   * (what was served is up to this old). Absent before a first refresh has completed.
   */
  cacheAgeSeconds?: number;
}

export interface ScrapeSnapshot {
  families: SnapshotFamily[];
  outcomes: CollectorOutcome[];
  /**
   * The sinks this scrape alone wrote (not a min-interval collector's, which later scrapes serve
   * again): releaseSnapshot gives their families back for reuse.
   */
  owned: CollectorSink[];
}

/**
 * Gives a snapshot's own families back to be written again by later scrapes, once its answer is
 * encoded: the snapshot must not be read afterwards. A snapshot never released is simply
 * collected (tests keep theirs).
 */
export function releaseSnapshot(snapshot: ScrapeSnapshot): void {
  const owned = snapshot.owned;
  snapshot.owned = [];
  for (let i = 0; i < owned.length; i++) (owned[i] as CollectorSink).release();
}

interface Result {
  outcome: CollectorOutcome;
  /** Only when the collector succeeded. */
  sink?: CollectorSink;
  /** The sink is this scrape's alone (not a min-interval collector's, kept for later scrapes). */
  owned?: boolean;
}

/** A collector with a min-interval: its last completed refresh and the refresh under way. */
interface Cached {
  intervalMs: number;
  /** `at`: when that refresh began, on the Scraper's clock. */
  last?: { result: Result; at: number };
  pending?: Promise<Result>;
}

const TIMED_OUT = Symbol('timed out');

/**
 * Where a scrape's collectors land their results, one slot each, and one promise that settles
 * when the last has landed: a count rather than a promise and closure per collector joined by
 * Promise.all.
 */
interface Slots {
  readonly results: (Result | undefined)[];
  left: number;
  readonly all: Promise<void>;
  readonly done: () => void;
}

function newSlots(n: number): Slots {
  let done = () => {};
  const all = n === 0 ? Promise.resolve() : new Promise<void>((resolve) => (done = resolve));
  return { results: new Array<Result | undefined>(n), left: n, all, done };
}

/** A result for slot k; the first one a slot gets stands (a timeout filled in at the deadline). */
function land(slots: Slots, k: number, r: Result): void {
  slots.results[k] ??= r;
  if (--slots.left === 0) slots.done();
}

const durationDesc = newDesc('node_scrape_collector_duration_seconds', 'node_exporter: Duration of a collector scrape.', 'gauge', ['collector']);
const successDesc = newDesc('node_scrape_collector_success', 'node_exporter: Whether a collector succeeded.', 'gauge', ['collector']);
const cacheAgeDesc = newDesc(
  'node_scrape_collector_cache_age_seconds',
  'Seconds since the refresh whose samples this scrape served began, for collectors run at most once per --collector.<name>.min-interval.',
  'gauge',
  ['collector'],
);

/**
 * A kept sink served again: its series count as used in this scrape's cache generation, so the
 * collector's next refresh finds them cached rather than swept (and rendered anew).
 */
function keepSink(sink: CollectorSink): void {
  for (const f of sink.list) {
    for (let i = 0; i < f.size; i++) keepSeries(f.descAt(i), f.seriesAt(i));
  }
}

/**
 * Runs the named collectors concurrently for one scrape, each under the same deadline and
 * each writing into a sink of its own. Every collector gets
 * node_scrape_collector_{duration_seconds,success}; one that throws or is still running at the
 * deadline counts as failed and its samples are dropped, the rest are served. Returns a
 * snapshot owned by this scrape alone (its sinks may be shared with other scrapes: read only).
 *
 * A collector with a min-interval (`minIntervalsMs`) runs at most once per interval: within it
 * a scrape serves the last completed refresh (its sink, success and duration as they were),
 * after it the scrape refreshes under its own deadline, and scrapes that find the result stale
 * while a refresh is under way wait for that one. A refresh still running at a scrape's
 * deadline leaves that scrape the previous result, unless that began two intervals ago or
 * more: then the collector counts as failed.
 */
export class Scraper {
  /** Family names already warned about for a type conflict: said once, not every scrape. */
  private readonly conflictsSaid = new Set<string>();
  private readonly cached = new Map<string, Cached>();
  /** One logger per collector (collector=name), made once rather than every scrape. */
  private readonly loggers = new Map<string, Logger>();
  /** Each collector's family slots, kept from scrape to scrape (see SinkLayout). */
  private readonly layouts = new Map<string, SinkLayout>();
  private readonly ownLayout = new SinkLayout();

  constructor(
    private readonly collectors: ReadonlyMap<string, Collector>,
    private readonly logger: Logger,
    minIntervalsMs: ReadonlyMap<string, number> = new Map(),
    /** The clock min-intervals and cache ages are measured on (tests move it by hand). */
    private readonly now: () => number = monotonicMs,
  ) {
    for (const [name, intervalMs] of minIntervalsMs) if (intervalMs > 0) this.cached.set(name, { intervalMs });
  }

  get names(): string[] {
    return [...this.collectors.keys()].sort();
  }

  /**
   * `extra`: samples to serve beside the collectors' (the exporter's own metrics), complete once
   * `extraWritten` settles (awaited before the snapshot is assembled, so the caller can write it
   * while the collectors run rather than before them).
   */
  async scrape(names: readonly string[], timeoutMs: number, extra?: CollectorSink, extraWritten?: Promise<void>): Promise<ScrapeSnapshot> {
    nextSeriesGeneration();
    const start = monotonicMs();
    const deadline = start + timeoutMs;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(
        () => {
          abort.abort(new Error('scrape deadline reached'));
          resolve(TIMED_OUT);
        },
        Math.max(0, timeoutMs),
      );
    });
    try {
      const sorted = [...names].sort();
      // Each collector's result lands in its slot as it finishes; one race against the deadline
      // for them all, rather than a race per collector. A slot still empty at the deadline is a
      // timed-out collector (its late result, if any, is ignored).
      const slots = newSlots(sorted.length);
      const results = slots.results;
      // Collectors with a min-interval settle at the deadline themselves (the previous result,
      // or a timeout): waited for, so what they decide is what is served.
      let cachedLanded: Promise<void>[] | undefined;
      for (let k = 0; k < sorted.length; k++) {
        const name = sorted[k] as string;
        const cache = this.cached.get(name);
        if (cache === undefined) {
          this.runOne(name, deadline, abort.signal, slots, k);
        } else {
          (cachedLanded ??= []).push(this.runCached(name, cache, deadline, abort.signal, expired).then((r) => land(slots, k, r)));
        }
      }
      if ((await Promise.race([slots.all, expired])) === TIMED_OUT) {
        if (cachedLanded !== undefined) await Promise.all(cachedLanded);
        const waited = (monotonicMs() - start) / 1000;
        for (let k = 0; k < sorted.length; k++) {
          if (results[k] !== undefined) continue;
          const name = sorted[k] as string;
          results[k] = { outcome: { name, success: false, timedOut: true, durationSeconds: waited } };
          this.saidTimedOut(name, waited);
        }
      }
      if (extraWritten !== undefined) await extraWritten;
      const snapshot = this.assemble(results as Result[], extra);
      if (this.logger.debugEnabled) {
        this.logger.debug('scrape assembled', { families: snapshot.families.length, series_cached: seriesCacheSize(), duration_seconds: (monotonicMs() - start) / 1000 });
      }
      return snapshot;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The logger of a collector (collector=name), kept for collectors that exist. */
  private loggerFor(name: string): Logger {
    // Cached only for collectors that exist: names may come from a request's collect[].
    let log = this.loggers.get(name);
    if (log === undefined) {
      log = this.logger.with({ collector: name });
      if (this.collectors.has(name)) this.loggers.set(name, log);
    }
    return log;
  }

  private saidTimedOut(name: string, durationSeconds: number): void {
    this.loggerFor(name).warn('collector did not finish before the scrape deadline; its samples are dropped', { duration_seconds: durationSeconds });
  }

  /** A collector with a min-interval: the last result while it is recent enough, else a refresh. */
  private async runCached(name: string, cache: Cached, deadline: number, signal: AbortSignal, expired: Promise<typeof TIMED_OUT>): Promise<Result> {
    const begin = this.now();
    const waitFrom = monotonicMs();
    const served = (last: { result: Result; at: number }): Result => {
      if (last.result.sink !== undefined) keepSink(last.result.sink);
      return { ...last.result, outcome: { ...last.result.outcome, cacheAgeSeconds: (this.now() - last.at) / 1000 } };
    };
    if (cache.last !== undefined && begin - cache.last.at < cache.intervalMs) return served(cache.last);
    // Stale (or never run): refresh under this scrape's deadline, or wait for the refresh under way.
    let pending = cache.pending;
    if (pending === undefined) {
      const at = begin;
      const refresh = Promise.race([this.runOne(name, deadline, signal), expired]).then((r): Result => {
        cache.pending = undefined;
        // A refresh that misses the deadline of the scrape that started it is not kept.
        if (r === TIMED_OUT) return { outcome: { name, success: false, timedOut: true, durationSeconds: (monotonicMs() - waitFrom) / 1000 } };
        cache.last = { result: r, at };
        return r;
      });
      cache.pending = pending = refresh;
    }
    const r = await Promise.race([pending, expired]);
    if (r !== TIMED_OUT && !r.outcome.timedOut) return served(cache.last ?? { result: r, at: begin });
    // The refresh missed this scrape's deadline: the previous result, if not too old to pass for current.
    const now = this.now();
    const last = cache.last;
    if (last !== undefined && now - last.at < 2 * cache.intervalMs) {
      this.loggerFor(name).debug('collector refresh did not finish before the scrape deadline; serving the previous result', {
        waited_seconds: (monotonicMs() - waitFrom) / 1000,
        age_seconds: (now - last.at) / 1000,
      });
      return served(last);
    }
    const waited = (monotonicMs() - waitFrom) / 1000;
    this.saidTimedOut(name, waited);
    return { outcome: { name, success: false, timedOut: true, durationSeconds: waited, ...(last === undefined ? {} : { cacheAgeSeconds: (now - last.at) / 1000 }) } };
  }

  /**
   * Runs one collector into a sink of its own; settles when it finishes, however late. With
   * `slots`, its result also lands in slot k as it settles.
   */
  private runOne(name: string, deadline: number, signal: AbortSignal, slots?: Slots, k = 0): Promise<Result> {
    const collector = this.collectors.get(name);
    const begin = monotonicMs();
    const log = this.loggerFor(name);
    if (collector === undefined) {
      log.error('collector failed', { err: 'not enabled' });
      const r: Result = { outcome: { name, success: false, timedOut: false, durationSeconds: (monotonicMs() - begin) / 1000 } };
      if (slots !== undefined) land(slots, k, r);
      return Promise.resolve(r);
    }
    let layout = this.layouts.get(name);
    if (layout === undefined) this.layouts.set(name, (layout = new SinkLayout()));
    const sink = new CollectorSink(layout);
    let work: Promise<void>;
    try {
      work = Promise.resolve(collector.collect({ signal, deadline }, sink));
    } catch (err) {
      // A collector that throws before its first await: a failure like any other.
      work = Promise.reject(err);
    }
    // The result lands before anything is logged, and logging cannot fail the promise: nothing
    // else handles its rejection on this path (an unhandled one would end the process).
    return work.then(
      (): Result => {
        const durationSeconds = (monotonicMs() - begin) / 1000;
        const r: Result = { outcome: { name, success: true, timedOut: false, durationSeconds }, sink, owned: slots !== undefined };
        if (slots !== undefined) land(slots, k, r);
        if (log.debugEnabled) {
          try {
            log.debug('collector succeeded', { duration_seconds: durationSeconds });
          } catch {
            // A log line that cannot be written is not the collector's failure.
          }
        }
        return r;
      },
      (err: unknown): Result => {
        const durationSeconds = (monotonicMs() - begin) / 1000;
        const r: Result = { outcome: { name, success: false, timedOut: false, durationSeconds } };
        if (slots !== undefined) land(slots, k, r);
        try {
          // Past the deadline the scrape has already counted it as timed out (and said so).
          if (signal.aborted) {
            log.debug('collector failed after the scrape deadline', { duration_seconds: durationSeconds, err });
          } else if (err instanceof NoDataError) {
            log.debug('collector returned no data', { duration_seconds: durationSeconds, err });
          } else {
            log.error('collector failed', { duration_seconds: durationSeconds, err });
          }
        } catch {
          // An error the logger cannot write (a hostile toString, say) still fails only its collector.
        }
        return r;
      },
    );
  }

  private assemble(results: Result[], extra: CollectorSink | undefined): ScrapeSnapshot {
    const outcomes = results.map((r) => r.outcome);
    const own = new CollectorSink(this.ownLayout);
    for (const o of outcomes) {
      own.add(durationDesc, o.durationSeconds, o.name);
      own.add(successDesc, o.success ? 1 : 0, o.name);
      if (o.cacheAgeSeconds !== undefined) own.add(cacheAgeDesc, o.cacheAgeSeconds, o.name);
    }
    const sinks: { name: string; sink: CollectorSink }[] = [];
    const owned: CollectorSink[] = [own];
    for (const r of results) {
      if (r.sink === undefined) continue;
      sinks.push({ name: r.outcome.name, sink: r.sink });
      if (r.owned === true) owned.push(r.sink);
    }
    sinks.push({ name: 'scrape', sink: own });
    if (extra !== undefined) sinks.push({ name: 'exporter', sink: extra });
    const families = assemble(sinks, {
      // Two collectors, one name, two types (netdev's counters and netclass_rtnl --with-stats'
      // gauges): the later one's samples are dropped, as Go's registry drops inconsistent
      // metrics, rather than served under a type that is not theirs.
      conflict: (family, type, kept, collector) => {
        if (this.conflictsSaid.has(family)) return;
        this.conflictsSaid.add(family);
        this.logger.warn('metric family collected with two types; the second is dropped', { family, type, kept, collector });
      },
      duplicates: (family, duplicates) => this.logger.debug('dropped duplicate series', { family, duplicates }),
    });
    return { families, outcomes, owned };
  }
}
