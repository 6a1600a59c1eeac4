import { performance } from 'node:perf_hooks';
import { NoDataError, type Collector } from './collector.js';
import { newDesc } from './exposition/desc.js';
import { nextSeriesGeneration, seriesCacheSize } from './exposition/series.js';
import { CollectorSink } from './exposition/sink.js';
import { assemble, type SnapshotFamily } from './exposition/snapshot.js';
import type { Logger } from './logger.js';

export interface CollectorOutcome {
  name: string;
  success: boolean;
  durationSeconds: number;
  timedOut: boolean;
}

export interface ScrapeSnapshot {
  families: SnapshotFamily[];
  outcomes: CollectorOutcome[];
}

const TIMED_OUT = Symbol('timed out');

const durationDesc = newDesc('node_scrape_collector_duration_seconds', 'node_exporter: Duration of a collector scrape.', 'gauge', ['collector']);
const successDesc = newDesc('node_scrape_collector_success', 'node_exporter: Whether a collector succeeded.', 'gauge', ['collector']);

/**
 * Runs the named collectors concurrently for one scrape, each under the same deadline and
 * each writing into a sink of its own. Every collector gets
 * node_scrape_collector_{duration_seconds,success}; one that throws or is still running at the
 * deadline counts as failed and its samples are dropped, the rest are served. Returns a
 * snapshot owned by this scrape alone.
 */
export class Scraper {
  /** Family names already warned about for a type conflict: said once, not every scrape. */
  private readonly conflictsSaid = new Set<string>();
  /** One logger per collector (collector=name), made once rather than every scrape. */
  private readonly loggers = new Map<string, Logger>();

  constructor(
    private readonly collectors: ReadonlyMap<string, Collector>,
    private readonly logger: Logger,
  ) {}

  get names(): string[] {
    return [...this.collectors.keys()].sort();
  }

  /** `extra`: samples to serve beside the collectors' (the exporter's own metrics). */
  async scrape(names: readonly string[], timeoutMs: number, extra?: CollectorSink): Promise<ScrapeSnapshot> {
    nextSeriesGeneration();
    const start = performance.now();
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
      const results = await Promise.all(sorted.map((name) => this.runOne(name, deadline, abort.signal, expired)));
      const snapshot = this.assemble(results, extra);
      this.logger.debug('scrape assembled', { families: snapshot.families.length, series_cached: seriesCacheSize(), duration_seconds: (performance.now() - start) / 1000 });
      return snapshot;
    } finally {
      clearTimeout(timer);
    }
  }

  private async runOne(name: string, deadline: number, signal: AbortSignal, expired: Promise<typeof TIMED_OUT>): Promise<{ outcome: CollectorOutcome; sink?: CollectorSink }> {
    const collector = this.collectors.get(name);
    const begin = performance.now();
    // Cached only for collectors that exist: names may come from a request's collect[].
    let log = this.loggers.get(name);
    if (log === undefined) {
      log = this.logger.with({ collector: name });
      if (collector !== undefined) this.loggers.set(name, log);
    }
    const done = (success: boolean, timedOut: boolean, sink?: CollectorSink) => ({
      outcome: { name, success, timedOut, durationSeconds: (performance.now() - begin) / 1000 },
      ...(sink === undefined ? {} : { sink }),
    });
    if (collector === undefined) {
      log.error('collector failed', { err: 'not enabled' });
      return done(false, false);
    }
    const sink = new CollectorSink();
    const work = (async () => collector.collect({ signal, deadline }, sink))();
    // The work may settle after the deadline; never let that be an unhandled rejection.
    work.catch(() => {});
    try {
      const result = await Promise.race([work, expired]);
      if (result === TIMED_OUT) {
        const d = done(false, true);
        log.warn('collector did not finish before the scrape deadline; its samples are dropped', {
          duration_seconds: d.outcome.durationSeconds,
        });
        return d;
      }
      const d = done(true, false, sink);
      log.debug('collector succeeded', { duration_seconds: d.outcome.durationSeconds });
      return d;
    } catch (err) {
      const d = done(false, false);
      if (err instanceof NoDataError) {
        log.debug('collector returned no data', { duration_seconds: d.outcome.durationSeconds, err });
      } else {
        log.error('collector failed', { duration_seconds: d.outcome.durationSeconds, err });
      }
      return d;
    }
  }

  private assemble(results: { outcome: CollectorOutcome; sink?: CollectorSink }[], extra: CollectorSink | undefined): ScrapeSnapshot {
    const outcomes = results.map((r) => r.outcome);
    const own = new CollectorSink();
    for (const o of outcomes) {
      own.add(durationDesc, o.durationSeconds, o.name);
      own.add(successDesc, o.success ? 1 : 0, o.name);
    }
    const sinks: { name: string; sink: CollectorSink }[] = [];
    for (const r of results) if (r.sink !== undefined) sinks.push({ name: r.outcome.name, sink: r.sink });
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
    return { families, outcomes };
  }
}
