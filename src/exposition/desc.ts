import { forgetSeries, hasNonLegacyNames, seriesFor, type Series } from './series.js';

/** Prometheus metric types as node_exporter emits them. */
export type MetricType = 'gauge' | 'counter' | 'untyped' | 'summary' | 'histogram';

/**
 * What a metric family is, declared once (as client_golang's prometheus.NewDesc): its name,
 * help, type and label names. Collectors declare theirs at the top of their file and write
 * samples against them; each Desc also keeps the rendered series it has seen lately (series.ts),
 * so a label set that comes back every scrape is escaped and joined once, not every time.
 */
export class Desc {
  /** @internal The series cache: label values (joined) → rendered series (see series.ts). */
  readonly series = new Map<string, Series>();
  /** @internal The cache generation that last used this Desc, and how many series it used. */
  generation = -1;
  usedInGeneration = 0;
  /** Label names in sorted order, as the encoders write them: indexes into labelNames. */
  readonly sortedLabelOrder: readonly number[];
  /** A name or label name that a scraper's escaping= may rewrite (textfile's UTF-8 names). */
  readonly hasNonLegacyNames: boolean;
  /** @internal HELP and TYPE lines as the text and OpenMetrics encoders write them (default escaping). */
  textHeader: string | undefined;
  openMetricsHeader: string | undefined;
  /** @internal The series of its last family that was not written in order, and their sorted order (snapshot.ts). */
  lastOrder: { readonly series: readonly Series[]; readonly order: readonly number[] } | undefined;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: MetricType,
    readonly labelNames: readonly string[] = [],
  ) {
    if (new Set(labelNames).size !== labelNames.length) throw new Error(`${name}: duplicate label name in ${labelNames.join(',')}`);
    this.hasNonLegacyNames = hasNonLegacyNames(name, labelNames);
    this.sortedLabelOrder = labelNames.map((_, i) => i).sort((a, b) => ((labelNames[a] ?? '') < (labelNames[b] ?? '') ? -1 : 1));
  }

  /** The rendered series for these label values (one per label name, in labelNames' order). */
  seriesFor(labelValues: readonly string[]): Series {
    return seriesFor(this, labelValues);
  }
}

/** A Desc, declared once: `const load1 = newDesc('node_load1', '1-minute load average.', 'gauge');` */
export function newDesc(name: string, help: string, type: MetricType, labelNames: readonly string[] = []): Desc {
  return new Desc(name, help, type, labelNames);
}

/**
 * Descs made at run time for names only known then (textfile families, sysctl entries, kernel
 * field names): the same Desc is handed back while name, help, type and label names stay the
 * same, so its series cache keeps working; Descs not asked for in the last two rounds are
 * forgotten, so the table is bounded by what recent scrapes used.
 */
export class DescTable {
  private readonly descs = new Map<string, { desc: Desc; round: number }>();
  private round = 0;

  get(name: string, help: string, type: MetricType, labelNames: readonly string[] = []): Desc {
    const key = labelNames.length === 0 ? name : `${name}\u0000${labelNames.join('\u0000')}`;
    const entry = this.descs.get(key);
    if (entry !== undefined && entry.desc.help === help && entry.desc.type === type) {
      entry.round = this.round;
      return entry.desc;
    }
    if (entry !== undefined) forgetSeries(entry.desc);
    const desc = new Desc(name, help, type, labelNames);
    this.descs.set(key, { desc, round: this.round });
    return desc;
  }

  /**
   * Starts a new round (call once per collect): Descs the last two rounds did not ask for go.
   * Entries are stamped, not moved between maps, so a steady collector costs no map writes.
   */
  nextRound(): void {
    this.round++;
    // forEach: no entry array per Desc where V8 leaves a for-of unoptimised (Node 24). Deleting
    // the entry being visited is allowed during a Map's forEach.
    this.descs.forEach((e, key) => {
      if (e.round < this.round - 2) {
        forgetSeries(e.desc);
        this.descs.delete(key);
      }
    });
  }
}

/**
 * Descs for kernel field names (meminfo keys, vmstat fields): decided once per field by
 * `make` (a Desc, or null for a field not exported), so a steady scrape builds no metric-name
 * or help strings. Fields are the running kernel's, a bounded set; a table that still grows past
 * `max` (a file that is not what it should be) starts over rather than grow for ever.
 */
export class FieldDescs {
  private readonly descs = new Map<string, Desc | null>();

  constructor(
    private readonly make: (field: string) => Desc | null,
    private readonly max = 4096,
  ) {}

  get(field: string): Desc | null {
    let desc = this.descs.get(field);
    if (desc === undefined) {
      if (this.descs.size >= this.max) {
        for (const d of this.descs.values()) if (d !== null) forgetSeries(d);
        this.descs.clear();
      }
      desc = this.make(field);
      this.descs.set(field, desc);
    }
    return desc;
  }
}
