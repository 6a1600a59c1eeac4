import type { Sink } from './exposition/sink.js';
import type { Logger } from './logger.js';
import type { Paths } from './paths.js';

export type { MetricType } from './exposition/desc.js';
export { DescTable, FieldDescs, newDesc, type Desc } from './exposition/desc.js';
export type { Sink } from './exposition/sink.js';

/**
 * What a collector gets when it runs. The signal fires at the scrape deadline; a collector may
 * ignore it, its result is dropped anyway.
 */
export interface CollectContext {
  signal: AbortSignal;
  /**
   * When the scrape must answer, on monotonicMs()'s clock (src/clock.ts). A collector with its own
   * per-item timeout (filesystem's mount timeout) keeps within it so it can still report.
   */
  deadline: number;
}

export interface Collector {
  /** Writes this scrape's samples into `out`, against Descs declared once (newDesc). */
  collect(ctx: CollectContext, out: Sink): Promise<void>;
}

/** A collector-specific flag, e.g. --collector.filesystem.mount-timeout. */
export interface CollectorOption {
  /** The full flag name without leading dashes: "collector.filesystem.mount-timeout". */
  flag: string;
  help: string;
  /** Default as the user would type it; undefined = not set. */
  defaultValue?: string;
  /** A boolean flag (--x / --no-x) rather than one taking a value. */
  boolean?: boolean;
  /** May be given more than once; the values arrive as a list. */
  repeatable?: boolean;
  /** Hidden from --help, as upstream hides it (still accepted). */
  hidden?: boolean;
}

/** Raw option values as parsed from the command line, keyed by flag name. */
export type OptionValues = ReadonlyMap<string, string | boolean | string[] | undefined>;

export interface CollectorFactoryContext {
  paths: Paths;
  logger: Logger;
  /** Values of this collector's own options (and whether each was given explicitly). */
  options: OptionValues;
  explicit: ReadonlySet<string>;
  /**
   * Every collector enabled in this run. Some upstream collectors change what they emit by
   * another's state (cpu's /proc/cpuinfo frequency only when cpufreq is enabled). Absent in
   * tests that build one collector alone: read as "none".
   */
  enabledCollectors?: ReadonlySet<string>;
}

export interface CollectorDefinition {
  name: string;
  defaultEnabled: boolean;
  options?: readonly CollectorOption[];
  /** Builds the collector; throws ConfigError for bad or conflicting option values. */
  create(ctx: CollectorFactoryContext): Collector;
}

/** A bad flag value, found while building the Config or a collector: exit 1 before listening. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * "This collector has nothing to report here" (e.g. no os-release file): success 0 like
 * node_exporter's ErrNoData, logged at debug rather than error.
 */
export class NoDataError extends Error {
  override readonly name = 'NoDataError';

  constructor(message?: string, options?: ErrorOptions) {
    // Routine (a host without the hardware, every scrape): no stack trace to capture, the
    // message says all.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message, options);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}

/** A boolean option's value; not given on the command line means upstream's default, `fallback`. */
export function booleanOption(options: OptionValues, flag: string, fallback: boolean): boolean {
  const v = options.get(flag);
  return typeof v === 'boolean' ? v : fallback;
}

/** A repeatable option's values in order; not given (and no default) means none. */
export function listOption(options: OptionValues, flag: string): string[] {
  const v = options.get(flag);
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}
