import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import type { Collector, CollectorDefinition, MetricFamily, OptionValues } from '../../src/collector.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import { Paths, type PathRoots } from '../../src/paths.js';

export interface BuildOptions {
  roots?: Partial<PathRoots>;
  options?: Record<string, string | boolean | string[]>;
  explicit?: string[];
  enabledCollectors?: string[];
  logger?: Logger;
}

/** Builds one collector the way the CLI would, from plain option values. */
export function buildCollector(def: CollectorDefinition, o: BuildOptions = {}): Collector {
  const options: OptionValues = new Map(Object.entries(o.options ?? {}));
  return def.create({
    paths: new Paths(o.roots ?? {}),
    logger: o.logger ?? silentLogger,
    options,
    explicit: new Set(o.explicit ?? []),
    enabledCollectors: new Set(o.enabledCollectors ?? []),
  });
}

export async function collectOnce(collector: Collector): Promise<MetricFamily[]> {
  return collector.collect({ signal: new AbortController().signal, deadline: performance.now() + 5000 });
}

/** Families flattened to 'name{k="v",...}' → value, labels sorted; fails on a duplicate series. */
export function seriesMap(families: readonly MetricFamily[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of families) {
    for (const s of f.samples) {
      const labels = Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',');
      const key = `${f.name}${s.suffix ?? ''}{${labels}}`;
      assert.ok(!out.has(key), `duplicate series ${key}`);
      out.set(key, s.value);
    }
  }
  return out;
}

/** The series of one family, as seriesMap keys → values. */
export function familySeries(m: ReadonlyMap<string, number>, name: string): Map<string, number> {
  return new Map([...m].filter(([k]) => k.startsWith(`${name}{`)));
}

export async function collectSeries(def: CollectorDefinition, o: BuildOptions = {}): Promise<Map<string, number>> {
  return seriesMap(await collectOnce(buildCollector(def, o)));
}
