import type { MetricFamily } from '../collector.js';
import { processFamilies } from './process-metrics.js';

export interface BuildInfo {
  version: string;
  revision: string;
  branch: string;
}

/**
 * The exporter's metrics about itself: what node_exporter gets from client_golang's process
 * collector and promhttp instrumentation (process_*, nodejs_* heap, promhttp_*).
 */
export class SelfMetrics {
  private readonly requests = new Map<string, number>();
  private readonly errors = new Map<string, number>([
    ['encoding', 0],
    ['gathering', 0],
  ]);
  inFlight = 0;

  constructor(
    private readonly build: BuildInfo,
    private readonly enabled: boolean,
  ) {}

  countRequest(code: number): void {
    const key = String(code);
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  countError(cause: 'encoding' | 'gathering'): void {
    this.errors.set(cause, (this.errors.get(cause) ?? 0) + 1);
  }

  async families(): Promise<MetricFamily[]> {
    // build_info stays with --web.disable-exporter-metrics, as in node_exporter.
    const out: MetricFamily[] = [
      {
        name: 'node_exporter_build_info',
        help: 'Constant 1, labelled with the version, revision and branch this exporter was built from; goversion carries the Node.js version.',
        type: 'gauge',
        samples: [
          {
            labels: {
              branch: this.build.branch,
              goversion: process.version,
              revision: this.build.revision,
              tags: 'unknown',
              version: this.build.version,
            },
            value: 1,
          },
        ],
      },
    ];
    if (!this.enabled) return out;
    out.push(...(await processFamilies()));
    // Always show the codes Prometheus users alert on, even before the first error.
    const codes = new Map([['200', 0], ['500', 0], ['503', 0], ...this.requests]);
    out.push(
      {
        name: 'promhttp_metric_handler_requests_total',
        help: 'Total number of scrapes by HTTP status code.',
        type: 'counter',
        samples: [...codes].map(([code, value]) => ({ labels: { code }, value })),
      },
      {
        name: 'promhttp_metric_handler_requests_in_flight',
        help: 'Current number of scrapes being served.',
        type: 'gauge',
        samples: [{ labels: {}, value: this.inFlight }],
      },
      {
        name: 'promhttp_metric_handler_errors_total',
        help: 'Total number of internal errors encountered by the promhttp metric handler.',
        type: 'counter',
        samples: [...this.errors].map(([cause, value]) => ({ labels: { cause }, value })),
      },
    );
    return out;
  }
}
