import { family, type CollectorDefinition, type MetricFamily, type MetricType } from '../collector.js';
import { readAndParse } from '../procfs/read.js';
import { parseZoneinfo, type ZoneinfoField } from '../procfs/zoneinfo.js';

/** Kernel key → metric suffix, type and help. Typed by the parser's key list, so none is missed. */
const METRICS: Record<ZoneinfoField, [name: string, type: MetricType, help: string]> = {
  nr_free_pages: ['nr_free_pages', 'gauge', 'Free pages in the zone.'],
  min: ['min_pages', 'gauge', 'The zone\'s min watermark, in pages.'],
  low: ['low_pages', 'gauge', 'The zone\'s low watermark, in pages.'],
  high: ['high_pages', 'gauge', 'The zone\'s high watermark, in pages.'],
  scanned: ['scanned_pages', 'gauge', 'Pages scanned since the last reclaim.'],
  spanned: ['spanned_pages', 'gauge', 'Pages the zone spans, holes included.'],
  present: ['present_pages', 'gauge', 'Physical pages present in the zone.'],
  managed: ['managed_pages', 'gauge', 'Present pages the buddy allocator manages.'],
  nr_active_anon: ['nr_active_anon_pages', 'gauge', 'Anonymous pages on the active LRU list.'],
  nr_inactive_anon: ['nr_inactive_anon_pages', 'gauge', 'Anonymous pages on the inactive LRU list.'],
  nr_isolated_anon: ['nr_isolated_anon_pages', 'gauge', 'Anonymous pages isolated from the LRU for now.'],
  nr_anon_pages: ['nr_anon_pages', 'gauge', 'Anonymous pages mapped into user space.'],
  nr_anon_transparent_hugepages: ['nr_anon_transparent_hugepages', 'gauge', 'Anonymous transparent huge pages in use.'],
  nr_active_file: ['nr_active_file_pages', 'gauge', 'File-backed pages on the active LRU list.'],
  nr_inactive_file: ['nr_inactive_file_pages', 'gauge', 'File-backed pages on the inactive LRU list.'],
  nr_isolated_file: ['nr_isolated_file_pages', 'gauge', 'File-backed pages isolated from the LRU for now.'],
  nr_file_pages: ['nr_file_pages', 'gauge', 'Pages in the page cache.'],
  nr_slab_reclaimable: ['nr_slab_reclaimable_pages', 'gauge', 'Slab pages that can be reclaimed.'],
  nr_slab_unreclaimable: ['nr_slab_unreclaimable_pages', 'gauge', 'Slab pages that cannot be reclaimed.'],
  nr_mlock_stack: ['nr_mlock_stack_pages', 'gauge', 'Pages locked with mlock() and taken off the LRU.'],
  nr_kernel_stack: ['nr_kernel_stacks', 'gauge', 'Kernel stacks (the kernel reports KiB on recent versions).'],
  nr_mapped: ['nr_mapped_pages', 'gauge', 'Page cache pages mapped into user space.'],
  nr_dirty: ['nr_dirty_pages', 'gauge', 'Dirty pages waiting to be written back.'],
  nr_writeback: ['nr_writeback_pages', 'gauge', 'Pages being written back.'],
  nr_unevictable: ['nr_unevictable_pages', 'gauge', 'Pages that cannot be evicted.'],
  nr_shmem: ['nr_shmem_pages', 'gauge', 'Shared memory pages, tmpfs included.'],
  nr_dirtied: ['nr_dirtied_total', 'counter', 'Pages dirtied since boot.'],
  nr_written: ['nr_written_total', 'counter', 'Pages written back since boot.'],
  numa_hit: ['numa_hit_total', 'counter', 'Allocations satisfied from the intended node.'],
  numa_miss: ['numa_miss_total', 'counter', 'Allocations placed here although another node was intended.'],
  numa_foreign: ['numa_foreign_total', 'counter', 'Allocations intended here but placed on another node.'],
  numa_interleave: ['numa_interleave_total', 'counter', 'Interleaved allocations that chose this zone.'],
  numa_local: ['numa_local_total', 'counter', 'Allocations made by a CPU of this node.'],
  numa_other: ['numa_other_total', 'counter', 'Allocations made by a CPU of another node.'],
};

export const zoneinfo: CollectorDefinition = {
  name: 'zoneinfo',
  defaultEnabled: false,
  create({ paths }) {
    const file = paths.procFilePath('zoneinfo');
    return {
      async collect(): Promise<MetricFamily[]> {
        const zones = await readAndParse(file, parseZoneinfo);
        const families = new Map<string, MetricFamily>();
        const add = (name: string, type: MetricType, help: string, labels: Record<string, string>, value: number) => {
          let f = families.get(name);
          if (f === undefined) families.set(name, (f = family(`node_zoneinfo_${name}`, help, type)));
          f.samples.push({ labels, value });
        };
        for (const z of zones) {
          const labels = { node: z.node, zone: z.zone };
          for (const [key, value] of z.values) add(...METRICS[key], labels, value);
          z.protection.forEach((value, i) => add(`protection_${i}`, 'gauge', `Entry ${i} of the zone's protection (lowmem_reserve) array, in pages.`, labels, value));
        }
        return [...families.values()];
      },
    };
  },
};
