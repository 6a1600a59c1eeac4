import type { Desc } from './desc.js';

/**
 * One series of a family as the text encoders write it: `name{a="x",b="y"} `, built once
 * and reused by every scrape that emits the same label values again.
 *
 * The cache is a map per Desc. Each series remembers the last scrape generation that used it;
 * nothing is moved or re-inserted while a series keeps coming back. When a Desc is first used
 * in a new generation and its map holds clearly more than the Desc's last generation used (more
 * than twice as many, plus a few), the series neither that generation nor this one used are
 * dropped. So a series that stops being emitted (an unmounted filesystem, a deleted interface)
 * leaves the cache within a few scrapes, and a Desc holds at most about three scrapes' worth of
 * its series, whatever the churn.
 *
 * "Last" is the Desc's own last generation, not the one before the current: scrapes run
 * concurrently, and a generation starts with each scrape, so by the time a scrape's collector
 * writes a Desc, later scrapes may have started generations that have not written it yet. Its
 * series are still the ones in use then, not stale ones to drop (and make anew a moment later).
 */
export interface Series {
  readonly labelValues: readonly string[];
  /** `name{labels} ` for Prometheus text and OpenMetrics alike (legacy-escaped names). */
  readonly prefix: string;
  /** The last cache generation that used it; EVICTED once the cache has dropped it. */
  used: number;
  /**
   * The last value an encoder spelled for it, how, and the text: a value that did not change
   * since the last scrape (most gauges, idle counters) is not formatted again.
   */
  spelledValue: number;
  spelledBy: unknown;
  spelled: string;
}

/** Stale series a Desc may keep before its map is swept (small families never sweep). */
const SLACK = 8;
/** Series.used of a series no longer in its Desc's map: a buffer may still hold it, never to recall. */
const EVICTED = -2;

let generation = 0;
/** Series held by every Desc's cache: what the cache costs, for the logs. */
let cached = 0;

export function seriesCacheSize(): number {
  return cached;
}

/** A Desc no longer used (a DescTable dropped it): its cached series no longer count. */
export function forgetSeries(desc: Desc): void {
  cached -= desc.series.size;
  for (const s of desc.series.values()) s.used = EVICTED;
  desc.series.clear();
  desc.lastOrder = undefined;
}

/** Starts a new cache generation: the scrape calls it once as it begins. */
export function nextSeriesGeneration(): void {
  generation++;
}

/** The first use of a Desc in a generation: sweeps what neither it nor the Desc's last one used. */
function enterGeneration(desc: Desc): void {
  const last = desc.generation;
  if (desc.series.size > 2 * desc.usedInGeneration + SLACK) {
    for (const [key, s] of desc.series) {
      if (s.used < last) {
        desc.series.delete(key);
        s.used = EVICTED;
        cached--;
      }
    }
  }
  desc.generation = generation;
  desc.usedInGeneration = 0;
}

/**
 * Series served again in this generation without being looked up (a collector's kept sink,
 * served between its refreshes): counted as used, so the cache still holds them when the
 * collector next writes them, instead of sweeping and rendering them anew.
 */
export function keepSeries(desc: Desc, series: Series): void {
  if (desc.generation !== generation) enterGeneration(desc);
  if (series.used !== generation) {
    series.used = generation;
    desc.usedInGeneration++;
  }
}

export function seriesFor(desc: Desc, labelValues: readonly string[]): Series {
  if (desc.generation !== generation) enterGeneration(desc);
  const key = cacheKey(labelValues);
  let s = key === undefined ? undefined : desc.series.get(key);
  if (s === undefined) {
    s = makeSeries(desc, labelValues);
    if (key !== undefined) {
      desc.series.set(key, s);
      cached++;
    }
  }
  if (s.used !== generation) {
    s.used = generation;
    desc.usedInGeneration++;
  }
  return s;
}

/**
 * `candidate` (the series written at the same place in the same family last time, whose label
 * values the caller found equal to the ones being written: collectors mostly write the same
 * series in the same order every scrape) when it is still this Desc's cached series, counted as
 * used as seriesFor counts it; otherwise undefined, and the caller looks the values up. A hit
 * needs no key and no map lookup.
 */
export function seriesAgain(desc: Desc, candidate: Series): Series | undefined {
  if (desc.generation !== generation) enterGeneration(desc);
  if (candidate.used === EVICTED) return undefined;
  if (candidate.used !== generation) {
    candidate.used = generation;
    desc.usedInGeneration++;
  }
  return candidate;
}

/** The label values as one map key; undefined when a value holds the separator (not cached). */
function cacheKey(values: readonly string[]): string | undefined {
  if (values.length === 0) return '';
  if (values.length === 1) return values[0];
  for (const v of values) if (v.includes('\u0000')) return undefined;
  return values.join('\u0000');
}

function makeSeries(desc: Desc, labelValues: readonly string[]): Series {
  if (labelValues.length !== desc.labelNames.length) {
    throw new Error(`${desc.name}: ${labelValues.length} label values for ${desc.labelNames.length} label names`);
  }
  return {
    labelValues: labelValues.slice(),
    prefix: renderPrefix(desc.name, desc.labelNames, labelValues, desc.sortedLabelOrder, 'underscores'),
    used: -1,
    spelledValue: 0,
    spelledBy: undefined,
    spelled: '',
  };
}

/** How names that are not valid legacy Prometheus names go on the wire (the escaping= of Accept). */
export type NameEscaping = 'allow-utf-8' | 'underscores' | 'dots' | 'values';

const LEGACY_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isLegacyMetricName(name: string): boolean {
  return LEGACY_METRIC_NAME.test(name);
}

/** A metric or label name as client_golang's model.EscapeName writes it for a scheme. */
export function escapeName(name: string, scheme: NameEscaping, label = false): string {
  if (scheme === 'allow-utf-8' || name === '' || (label ? LEGACY_LABEL_NAME : LEGACY_METRIC_NAME).test(name)) return name;
  let out = scheme === 'values' ? 'U__' : '';
  let i = 0;
  for (const ch of name) {
    const cp = ch.codePointAt(0) ?? 0xfffd;
    const legacy = (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) || cp === 0x5f || cp === 0x3a || (i > 0 && cp >= 0x30 && cp <= 0x39);
    if (scheme === 'underscores') out += legacy ? ch : '_';
    else if (cp === 0x5f) out += '__';
    else if (scheme === 'dots' && cp === 0x2e) out += '_dot_';
    else if (legacy) out += ch;
    else if (scheme === 'dots') out += '__';
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '_FFFD_';
    else out += `_${cp.toString(16)}_`;
    i++;
  }
  return out;
}

const NEEDS_ESCAPE = /[\\"\n]/;

/** A label value (or a quoted name) escaped for the text formats: \\, \" and \n. */
export function escapeLabelValue(v: string): string {
  if (!NEEDS_ESCAPE.test(v)) return v;
  return v.replace(/[\\"\n]/g, (c) => (c === '\\' ? '\\\\' : c === '"' ? '\\"' : '\\n'));
}

/** A name on the wire: as it is when legacy-valid, else (allow-utf-8 only) quoted. */
function wireName(name: string, legacy: boolean): string {
  return legacy ? name : `"${escapeLabelValue(name)}"`;
}

/** A metric name in HELP/TYPE lines under a scheme: escaped, and quoted if still not legacy. */
export function headerName(name: string, scheme: NameEscaping): string {
  const n = escapeName(name, scheme);
  return wireName(n, isLegacyMetricName(n));
}

/** True when a name or a label name is not a legacy name: only then does escaping change it. */
export function hasNonLegacyNames(name: string, labelNames: readonly string[]): boolean {
  return !isLegacyMetricName(name) || labelNames.some((l) => !LEGACY_LABEL_NAME.test(l));
}

/**
 * `name{a="x",b="y"} ` with label names in sorted order; an extra label (a summary's quantile, a
 * histogram's le) goes last, as client_golang writes it. A name that is still not a legacy
 * name after escaping (allow-utf-8) is quoted and moves inside the braces.
 */
export function renderPrefix(name: string, labelNames: readonly string[], labelValues: readonly string[], order: readonly number[], scheme: NameEscaping, extra?: string): string {
  const n = escapeName(name, scheme);
  const legacyName = isLegacyMetricName(n);
  let out = legacyName ? n : `{${wireName(n, false)}`;
  let sep = legacyName ? '{' : ',';
  for (const i of order) {
    const ln = escapeName(labelNames[i] ?? '', scheme, true);
    out += `${sep}${wireName(ln, LEGACY_LABEL_NAME.test(ln))}="${escapeLabelValue(labelValues[i] ?? '')}"`;
    sep = ',';
  }
  if (extra !== undefined) {
    out += `${sep}${extra}`;
    sep = ',';
  }
  return sep === ',' ? `${out}} ` : `${out} `;
}
