import { readdir } from '../read/dir.js';
import { booleanOption, type CollectorDefinition, type Desc, newDesc, type Sink } from '../collector.js';
import { parseFileText, readProcFiles } from '../read/files.js';
import { parseBcachePriorityStats, parseBcacheValueFile, parseBcacheWritebackRateDebug } from '../sysfs/bcache.js';
import { hasErrno } from '../errno.js';

const PRIORITY_FLAG = 'collector.bcache.priorityStats';
const PERIOD_FILES = ['bypassed', 'cache_hits', 'cache_misses', 'cache_bypass_hits', 'cache_bypass_misses', 'cache_miss_collisions', 'cache_readaheads'] as const;

const SET = ['uuid'];
const BDEV = ['uuid', 'backing_device'];
const CACHE = ['uuid', 'cache_device'];
const bcacheDesc = (name: string, type: 'gauge' | 'counter', help: string, labels: readonly string[]): Desc => newDesc(`node_bcache_${name}`, help, type, labels);

/** [Desc, file under the set (or internal/), scale] for the cache set as a whole. */
const SET_METRICS: readonly (readonly [Desc, string, number])[] = [
  [bcacheDesc('average_key_size_sectors', 'gauge', 'Average amount of data per btree key, in sectors.', SET), 'average_key_size', 1],
  [bcacheDesc('btree_cache_size_bytes', 'gauge', 'Memory the btree cache uses, in bytes.', SET), 'btree_cache_size', 1],
  [bcacheDesc('cache_available_percent', 'gauge', 'Percentage of the cache holding no dirty data (usable for writeback).', SET), 'cache_available_percent', 1],
  [bcacheDesc('congested', 'gauge', 'Congestion of the cache set.', SET), 'congested', 1],
  [bcacheDesc('root_usage_percent', 'gauge', 'Percentage of the btree root node in use.', SET), 'root_usage_percent', 1],
  [bcacheDesc('tree_depth', 'gauge', 'Depth of the btree.', SET), 'tree_depth', 1],
  [bcacheDesc('active_journal_entries', 'gauge', 'Journal entries newer than the index.', SET), 'internal/active_journal_entries', 1],
  [bcacheDesc('btree_nodes', 'gauge', 'Nodes in the btree.', SET), 'internal/btree_nodes', 1],
  // The file holds microseconds; node_exporter scales it as nanoseconds. Kept for equal values.
  [bcacheDesc('btree_read_average_duration_seconds', 'gauge', 'Average btree read duration (file value × 1e-9).', SET), 'internal/btree_read_average_duration_us', 1e-9],
  [bcacheDesc('cache_read_races_total', 'counter', 'Cache reads whose bucket was reused before the read completed.', SET), 'internal/cache_read_races', 1],
];

/** [Desc, file in stats_total/] for each backing device. */
const PERIOD_METRICS: readonly (readonly [Desc, (typeof PERIOD_FILES)[number]])[] = [
  [bcacheDesc('bypassed_bytes_total', 'counter', 'I/O that bypassed the cache, in bytes.', BDEV), 'bypassed'],
  [bcacheDesc('cache_hits_total', 'counter', 'Cache hits.', BDEV), 'cache_hits'],
  [bcacheDesc('cache_misses_total', 'counter', 'Cache misses.', BDEV), 'cache_misses'],
  [bcacheDesc('cache_bypass_hits_total', 'counter', 'Cache hits of I/O meant to bypass the cache.', BDEV), 'cache_bypass_hits'],
  [bcacheDesc('cache_bypass_misses_total', 'counter', 'Cache misses of I/O meant to bypass the cache.', BDEV), 'cache_bypass_misses'],
  [bcacheDesc('cache_miss_collisions_total', 'counter', 'Cache misses whose insert raced with a write of the same data.', BDEV), 'cache_miss_collisions'],
];
const readaheadsTotal = bcacheDesc('cache_readaheads_total', 'counter', 'Readaheads.', BDEV);
const dirtyData = bcacheDesc('dirty_data_bytes', 'gauge', 'Dirty data of this backing device in the cache, in bytes.', BDEV);
const dirtyTarget = bcacheDesc('dirty_target_bytes', 'gauge', 'Dirty data target of this backing device, in bytes.', BDEV);
const writebackRate = bcacheDesc('writeback_rate', 'gauge', 'Current writeback rate of this backing device, in bytes per second.', BDEV);
const proportionalTerm = bcacheDesc('writeback_rate_proportional_term', 'gauge', 'Proportional term of the writeback rate controller.', BDEV);
const integralTerm = bcacheDesc('writeback_rate_integral_term', 'gauge', 'Integral term of the writeback rate controller.', BDEV);
const writebackChange = bcacheDesc('writeback_change', 'gauge', 'Latest change of the writeback rate of this backing device.', BDEV);
const ioErrors = bcacheDesc('io_errors', 'gauge', 'I/O errors of the cache device, decayed by io_error_halflife.', CACHE);
const metadataWritten = bcacheDesc('metadata_written_bytes_total', 'counter', 'Metadata (btree and other non-data) written to the cache device, in bytes.', CACHE);
const written = bcacheDesc('written_bytes_total', 'counter', 'Data written to the cache device, in bytes.', CACHE);
const priorityUnused = bcacheDesc('priority_stats_unused_percent', 'gauge', 'Percentage of the cache device holding no data.', CACHE);
const priorityMetadata = bcacheDesc('priority_stats_metadata_percent', 'gauge', 'Percentage of the cache device holding bcache metadata.', CACHE);

async function dirs(dir: string, re: RegExp): Promise<string[]> {
  return (await readdir(dir)).filter((n) => re.test(n)).sort();
}

async function collectSet(dir: string, uuid: string, priority: boolean, out: Sink): Promise<void> {
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

  for (const [desc, file, scale] of SET_METRICS) out.add(desc, value(file) * scale, uuid);
  // The five-minute and set-wide totals are read (and must parse) but node_exporter exports neither.
  for (const p of ['stats_five_minute', 'stats_total']) for (const f of PERIOD_FILES) value(`${p}/${f}`);

  for (const b of bdevs) {
    const wrd = parse(`${b}/writeback_rate_debug`, parseBcacheWritebackRateDebug, undefined);
    for (const f of PERIOD_FILES) value(`${b}/stats_five_minute/${f}`);
    out.add(dirtyData, value(`${b}/dirty_data`), uuid, b);
    out.add(dirtyTarget, wrd?.target ?? 0, uuid, b);
    out.add(writebackRate, wrd?.rate ?? 0, uuid, b);
    out.add(proportionalTerm, wrd?.proportional ?? 0, uuid, b);
    out.add(integralTerm, wrd?.integral ?? 0, uuid, b);
    out.add(writebackChange, wrd?.change ?? 0, uuid, b);
    for (const [desc, file] of PERIOD_METRICS) out.add(desc, value(`${b}/stats_total/${file}`), uuid, b);
    const readaheads = value(`${b}/stats_total/cache_readaheads`);
    // Kernels since 4.14 no longer count readaheads: upstream leaves out the always-0 series.
    if (readaheads !== 0) out.add(readaheadsTotal, readaheads, uuid, b);
  }
  for (const c of caches) {
    out.add(ioErrors, value(`${c}/io_errors`), uuid, c);
    out.add(metadataWritten, value(`${c}/metadata_written`), uuid, c);
    out.add(written, value(`${c}/written`), uuid, c);
    if (!priority) continue;
    const ps = parse(`${c}/priority_stats`, parseBcachePriorityStats, { unusedPercent: 0, metadataPercent: 0 });
    out.add(priorityUnused, ps.unusedPercent, uuid, c);
    out.add(priorityMetadata, ps.metadataPercent, uuid, c);
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
      async collect(_ctx, out) {
        // Cache sets are the <uuid> entries (register, pendings_cleanup and the like are files).
        const sets = await dirs(base, /-/).catch((err: unknown) => {
          if (hasErrno(err, 'ENOENT')) return [] as string[];
          throw err;
        });
        for (const uuid of sets) await collectSet(`${base}/${uuid}`, uuid, priority, out);
      },
    };
  },
};
