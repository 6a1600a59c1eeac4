import { readdir } from '../procfs/dir.js';
import { booleanOption, family, type CollectorDefinition, type MetricFamily, type MetricType } from '../collector.js';
import { hasErrno, parseFileText, readProcFiles } from '../procfs/read.js';
import { parseBcachePriorityStats, parseBcacheValueFile, parseBcacheWritebackRateDebug } from '../sysfs/bcache.js';

const PRIORITY_FLAG = 'collector.bcache.priorityStats';
const PERIOD_FILES = ['bypassed', 'cache_hits', 'cache_misses', 'cache_bypass_hits', 'cache_bypass_misses', 'cache_miss_collisions', 'cache_readaheads'] as const;

/** [metric, file under the set (or internal/), type, help] for the cache set as a whole. */
const SET_METRICS: readonly (readonly [string, string, MetricType, string])[] = [
  ['average_key_size_sectors', 'average_key_size', 'gauge', 'Average amount of data per btree key, in sectors.'],
  ['btree_cache_size_bytes', 'btree_cache_size', 'gauge', 'Memory the btree cache uses, in bytes.'],
  ['cache_available_percent', 'cache_available_percent', 'gauge', 'Percentage of the cache holding no dirty data (usable for writeback).'],
  ['congested', 'congested', 'gauge', 'Congestion of the cache set.'],
  ['root_usage_percent', 'root_usage_percent', 'gauge', 'Percentage of the btree root node in use.'],
  ['tree_depth', 'tree_depth', 'gauge', 'Depth of the btree.'],
  ['active_journal_entries', 'internal/active_journal_entries', 'gauge', 'Journal entries newer than the index.'],
  ['btree_nodes', 'internal/btree_nodes', 'gauge', 'Nodes in the btree.'],
  // The file holds microseconds; node_exporter scales it as nanoseconds. Kept for equal values.
  ['btree_read_average_duration_seconds', 'internal/btree_read_average_duration_us', 'gauge', 'Average btree read duration (file value × 1e-9).'],
  ['cache_read_races_total', 'internal/cache_read_races', 'counter', 'Cache reads whose bucket was reused before the read completed.'],
];

/** [metric, file in stats_total/, help] for each backing device. */
const PERIOD_METRICS: readonly (readonly [string, (typeof PERIOD_FILES)[number], string])[] = [
  ['bypassed_bytes_total', 'bypassed', 'I/O that bypassed the cache, in bytes.'],
  ['cache_hits_total', 'cache_hits', 'Cache hits.'],
  ['cache_misses_total', 'cache_misses', 'Cache misses.'],
  ['cache_bypass_hits_total', 'cache_bypass_hits', 'Cache hits of I/O meant to bypass the cache.'],
  ['cache_bypass_misses_total', 'cache_bypass_misses', 'Cache misses of I/O meant to bypass the cache.'],
  ['cache_miss_collisions_total', 'cache_miss_collisions', 'Cache misses whose insert raced with a write of the same data.'],
];

class Out {
  readonly families = new Map<string, MetricFamily>();
  add(name: string, help: string, type: MetricType, labels: Record<string, string>, value: number): void {
    const full = `node_bcache_${name}`;
    let f = this.families.get(full);
    if (f === undefined) this.families.set(full, (f = family(full, help, type)));
    f.samples.push({ labels, value });
  }
}

async function dirs(dir: string, re: RegExp): Promise<string[]> {
  return (await readdir(dir)).filter((n) => re.test(n)).sort();
}

async function collectSet(dir: string, uuid: string, priority: boolean, out: Out): Promise<void> {
  const [bdevs, caches] = await Promise.all([dirs(dir, /^bdev\d/), dirs(dir, /^cache\d/)]);
  // Counters of the set and of each device; all but writeback_rate_debug and priority_stats may be absent (read as 0).
  const values = [
    ...SET_METRICS.map(([, f]) => f),
    ...['stats_five_minute', 'stats_total'].flatMap((p) => PERIOD_FILES.map((f) => `${p}/${f}`)),
    ...bdevs.flatMap((b) => [`${b}/dirty_data`, ...['stats_five_minute', 'stats_total'].flatMap((p) => PERIOD_FILES.map((f) => `${b}/${p}/${f}`))]),
    ...caches.flatMap((c) => ['io_errors', 'metadata_written', 'written'].map((f) => `${c}/${f}`)),
  ];
  const required = [...bdevs.map((b) => `${b}/writeback_rate_debug`), ...(priority ? caches.map((c) => `${c}/priority_stats`) : [])];
  const results = await readProcFiles([...values, ...required].map((f) => `${dir}/${f}`));
  const texts = new Map<string, string>();
  [...values, ...required].forEach((f, i) => {
    const r = results[i];
    if (typeof r === 'string') texts.set(f, r);
    else if (r !== undefined && !(hasErrno(r, 'ENOENT') && i < values.length)) throw r;
  });
  const parse = <T>(f: string, p: (t: string) => T, fallback: T): T => {
    const t = texts.get(f);
    return t === undefined ? fallback : parseFileText(`${dir}/${f}`, t, p);
  };
  const value = (f: string): number => parse(f, parseBcacheValueFile, 0);

  for (const [name, file, type, help] of SET_METRICS) {
    const v = value(file);
    out.add(name, help, type, { uuid }, name === 'btree_read_average_duration_seconds' ? v * 1e-9 : v);
  }
  // The five-minute and set-wide totals are read (and must parse) but node_exporter exports neither.
  for (const p of ['stats_five_minute', 'stats_total']) for (const f of PERIOD_FILES) value(`${p}/${f}`);

  for (const b of bdevs) {
    const labels = { uuid, backing_device: b };
    const wrd = parse(`${b}/writeback_rate_debug`, parseBcacheWritebackRateDebug, undefined);
    for (const f of PERIOD_FILES) value(`${b}/stats_five_minute/${f}`);
    out.add('dirty_data_bytes', 'Dirty data of this backing device in the cache, in bytes.', 'gauge', labels, value(`${b}/dirty_data`));
    out.add('dirty_target_bytes', 'Dirty data target of this backing device, in bytes.', 'gauge', labels, wrd?.target ?? 0);
    out.add('writeback_rate', 'Current writeback rate of this backing device, in bytes per second.', 'gauge', labels, wrd?.rate ?? 0);
    out.add('writeback_rate_proportional_term', 'Proportional term of the writeback rate controller.', 'gauge', labels, wrd?.proportional ?? 0);
    out.add('writeback_rate_integral_term', 'Integral term of the writeback rate controller.', 'gauge', labels, wrd?.integral ?? 0);
    out.add('writeback_change', 'Latest change of the writeback rate of this backing device.', 'gauge', labels, wrd?.change ?? 0);
    for (const [name, file, help] of PERIOD_METRICS) out.add(name, help, 'counter', labels, value(`${b}/stats_total/${file}`));
    const readaheads = value(`${b}/stats_total/cache_readaheads`);
    // Kernels since 4.14 no longer count readaheads: upstream leaves out the always-0 series.
    if (readaheads !== 0) out.add('cache_readaheads_total', 'Readaheads.', 'counter', labels, readaheads);
  }
  for (const c of caches) {
    const labels = { uuid, cache_device: c };
    out.add('io_errors', 'I/O errors of the cache device, decayed by io_error_halflife.', 'gauge', labels, value(`${c}/io_errors`));
    out.add('metadata_written_bytes_total', 'Metadata (btree and other non-data) written to the cache device, in bytes.', 'counter', labels, value(`${c}/metadata_written`));
    out.add('written_bytes_total', 'Data written to the cache device, in bytes.', 'counter', labels, value(`${c}/written`));
    if (!priority) continue;
    const ps = parse(`${c}/priority_stats`, parseBcachePriorityStats, { unusedPercent: 0, metadataPercent: 0 });
    out.add('priority_stats_unused_percent', 'Percentage of the cache device holding no data.', 'gauge', labels, ps.unusedPercent);
    out.add('priority_stats_metadata_percent', 'Percentage of the cache device holding bcache metadata.', 'gauge', labels, ps.metadataPercent);
  }
}

export const bcache: CollectorDefinition = {
  name: 'bcache',
  defaultEnabled: true,
  options: [{ flag: PRIORITY_FLAG, help: 'Also export the priority_stats of each cache device (costly for the kernel to produce).', boolean: true }],
  create({ paths, options }) {
    const base = paths.sysFilePath('fs/bcache');
    const priority = booleanOption(options, PRIORITY_FLAG, false);
    return {
      async collect(): Promise<MetricFamily[]> {
        // Cache sets are the <uuid> entries (register, pendings_cleanup and the like are files).
        const sets = await dirs(base, /-/).catch((err: unknown) => {
          if (hasErrno(err, 'ENOENT')) return [] as string[];
          throw err;
        });
        const out = new Out();
        for (const uuid of sets) await collectSet(`${base}/${uuid}`, uuid, priority, out);
        return [...out.families.values()];
      },
    };
  },
};
