import { createRequire } from 'node:module';
import { DescTable, type MetricType } from '../exposition/desc.js';
import type { Sink } from '../exposition/sink.js';
import { addProcessMetrics } from './process-metrics.js';

export interface BuildInfo {
  version: string;
  revision: string;
  branch: string;
}

/** The parts of prom-client we use: a registry and its counter and gauge. */
interface PromMetricJson {
  name: string;
  help: string;
  type: string;
  values: { value: number; labels: Record<string, string | number> }[];
}
interface PromRegistry {
  getMetricsAsJSON(): Promise<PromMetricJson[]>;
}
interface PromCounter {
  inc(labels: Record<string, string>, value?: number): void;
}
interface PromGauge {
  set(labels: Record<string, string>, value: number): void;
  set(value: number): void;
  inc(value?: number): void;
  dec(value?: number): void;
}
interface MetricOptions {
  name: string;
  help: string;
  labelNames?: string[];
  registers: PromRegistry[];
}

// Only the modules we use: prom-client's index also loads its default metrics and push gateway
// client, ~12 MiB of RSS an exporter never uses.
const load = createRequire(import.meta.url);
const Registry = load('prom-client/lib/registry.js') as new () => PromRegistry;
const Counter = load('prom-client/lib/counter.js') as new (o: MetricOptions) => PromCounter;
const Gauge = load('prom-client/lib/gauge.js') as new (o: MetricOptions) => PromGauge;
const newCounter = (o: MetricOptions) => new Counter(o);
const newGauge = (o: MetricOptions) => new Gauge(o);

const TYPES: Record<string, MetricType> = { counter: 'counter', gauge: 'gauge' };

/**
 * The exporter's metrics about itself, as client_golang's promhttp instrumentation and process
 * collector give node_exporter. prom-client keeps the instrumentation (request counts by code,
 * requests in flight, handler errors, build info); the scrape encodes them with everything
 * else, so they are sorted among the node_* families and served in all three formats. Process
 * metrics are read by our own small reader (process-metrics.ts), not prom-client's default
 * metrics (~9 MiB of RSS and event-loop histograms node_exporter does not have).
 */
export class SelfMetrics {
  /** build_info stays with --web.disable-exporter-metrics, as in node_exporter. */
  private readonly always = new Registry();
  private readonly instrumentation = new Registry();
  private readonly requests: PromCounter;
  private readonly errors: PromCounter;
  private readonly inFlightGauge: PromGauge;
  private inFlightCount = 0;
  private readonly descs = new DescTable();

  constructor(
    build: BuildInfo,
    private readonly enabled: boolean,
  ) {
    newGauge({
      name: 'node_exporter_build_info',
      help: 'Constant 1, labelled with the version, revision and branch this exporter was built from; goversion carries the Node.js version.',
      labelNames: ['branch', 'goversion', 'revision', 'tags', 'version'],
      registers: [this.always],
    }).set({ branch: build.branch, goversion: process.version, revision: build.revision, tags: 'unknown', version: build.version }, 1);
    this.requests = newCounter({
      name: 'promhttp_metric_handler_requests_total',
      help: 'Total number of scrapes by HTTP status code.',
      labelNames: ['code'],
      registers: [this.instrumentation],
    });
    this.inFlightGauge = newGauge({ name: 'promhttp_metric_handler_requests_in_flight', help: 'Current number of scrapes being served.', registers: [this.instrumentation] });
    this.errors = newCounter({
      name: 'promhttp_metric_handler_errors_total',
      help: 'Total number of internal errors encountered by the promhttp metric handler.',
      labelNames: ['cause'],
      registers: [this.instrumentation],
    });
    // The codes and causes Prometheus users alert on are there from the start, at 0.
    for (const code of ['200', '500', '503']) this.requests.inc({ code }, 0);
    for (const cause of ['encoding', 'gathering']) this.errors.inc({ cause }, 0);
    this.inFlightGauge.set(0);
  }

  get inFlight(): number {
    return this.inFlightCount;
  }

  set inFlight(n: number) {
    this.inFlightCount = n;
    this.inFlightGauge.set(n);
  }

  countRequest(code: number): void {
    this.requests.inc({ code: String(code) });
  }

  countError(cause: 'encoding' | 'gathering'): void {
    this.errors.inc({ cause });
  }

  /** Writes this scrape's view of the exporter itself into `out`. */
  async writeTo(out: Sink): Promise<void> {
    this.descs.nextRound();
    this.fromProm(out, await this.always.getMetricsAsJSON());
    if (!this.enabled) return;
    await addProcessMetrics(out);
    this.fromProm(out, await this.instrumentation.getMetricsAsJSON());
  }

  /** prom-client's counters and gauges, as samples: its registry holds them, our encoders write them. */
  private fromProm(out: Sink, metrics: readonly PromMetricJson[]): void {
    for (const m of metrics) {
      for (const v of m.values) {
        const names = Object.keys(v.labels);
        out.addv(
          this.descs.get(m.name, m.help, TYPES[m.type] ?? 'untyped', names),
          v.value,
          names.map((n) => String(v.labels[n])),
        );
      }
    }
  }
}
