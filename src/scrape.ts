import { performance } from 'node:perf_hooks';
import { NoDataError, type Collector, type MetricFamily } from './collector.js';
import { markSorted, uniqueSortedSamples } from './exposition.js';
import type { Logger } from './logger.js';

export interface CollectorOutcome {
  name: string;
  success: boolean;
  durationSeconds: number;
  timedOut: boolean;
}

export interface ScrapeSnapshot {
  families: MetricFamily[];
  outcomes: CollectorOutcome[];
}

const TIMED_OUT = Symbol('timed out');

/**
 * Runs the named collectors concurrently for one scrape, each under the same deadline.
 * Every collector gets node_scrape_collector_{duration_seconds,success}; one that throws or is
 * still running at the deadline counts as failed and its samples are dropped, the rest are
 * served. Returns a snapshot owned by this scrape alone.
 */
export class Scraper {
  /** Family names already warned about for a type conflict: said once, not every scrape. */
  private readonly conflictsSaid = new Set<string>();

  constructor(
    private readonly collectors: ReadonlyMap<string, Collector>,
    private readonly logger: Logger,
  ) {}

  get names(): string[] {
    return [...this.collectors.keys()].sort();
  }

  async scrape(names: readonly string[], timeoutMs: number): Promise<ScrapeSnapshot> {
    const start = performance.now();
    const deadline = start + timeoutMs;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => {
        abort.abort(new Error('scrape deadline reached'));
        resolve(TIMED_OUT);
      }, Math.max(0, timeoutMs));
    });
    try {
      const results = await Promise.all(
        names.map((name) => this.runOne(name, deadline, abort.signal, expired)),
      );
      return this.assemble(results);
    } finally {
      clearTimeout(timer);
    }
  }

  private async runOne(
    name: string,
    deadline: number,
    signal: AbortSignal,
    expired: Promise<typeof TIMED_OUT>,
  ): Promise<{ outcome: CollectorOutcome; families: MetricFamily[] }> {
    const collector = this.collectors.get(name);
    const begin = performance.now();
    const log = this.logger.with({ collector: name });
    const done = (success: boolean, timedOut: boolean, families: MetricFamily[] = []) => ({
      outcome: { name, success, timedOut, durationSeconds: (performance.now() - begin) / 1000 },
      families,
    });
    if (collector === undefined) {
      log.error('collector failed', { err: 'not enabled' });
      return done(false, false);
    }
    const work = (async () => collector.collect({ signal, deadline }))();
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
      const d = done(true, false, result);
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

  private assemble(results: { outcome: CollectorOutcome; families: MetricFamily[] }[]): ScrapeSnapshot {
    const byName = new Map<string, MetricFamily>();
    for (const { outcome, families } of results) {
      for (const f of families) {
        const have = byName.get(f.name);
        if (have === undefined) byName.set(f.name, { ...f, samples: [...f.samples] });
        else if (have.type === f.type) have.samples.push(...f.samples);
        // Two collectors, one name, two types (netdev's counters and netclass_rtnl --with-stats'
        // gauges): the later one's samples are dropped, as Go's registry drops inconsistent
        // metrics, rather than served under a type that is not theirs.
        else if (!this.conflictsSaid.has(f.name)) {
          this.conflictsSaid.add(f.name);
          this.logger.warn('metric family collected with two types; the second is dropped', { family: f.name, type: f.type, kept: have.type, collector: outcome.name });
        }
      }
    }
    const outcomes = results.map((r) => r.outcome);
    byName.set('node_scrape_collector_duration_seconds', {
      name: 'node_scrape_collector_duration_seconds',
      help: 'node_exporter: Duration of a collector scrape.',
      type: 'gauge',
      samples: outcomes.map((o) => ({ labels: { collector: o.name }, value: o.durationSeconds })),
    });
    byName.set('node_scrape_collector_success', {
      name: 'node_scrape_collector_success',
      help: 'node_exporter: Whether a collector succeeded.',
      type: 'gauge',
      samples: outcomes.map((o) => ({ labels: { collector: o.name }, value: o.success ? 1 : 0 })),
    });
    const families: MetricFamily[] = [];
    for (const f of byName.values()) {
      const { samples, duplicates } = uniqueSortedSamples(f.samples, f.type);
      if (duplicates > 0) {
        this.logger.debug('dropped duplicate series', { family: f.name, duplicates });
      }
      if (samples.length > 0) families.push(markSorted({ ...f, samples }));
    }
    return { families, outcomes };
  }
}
