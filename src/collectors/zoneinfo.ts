import { DescTable, newDesc, type CollectorDefinition, type Desc, type MetricType } from '../collector.js';
import { readAndParse } from '../read/files.js';
import { parseZoneinfo, type ZoneinfoField } from '../procfs/zoneinfo.js';

const LABELS = ['node', 'zone'];
const zoneDesc = (suffix: string, type: MetricType, help: string) => newDesc(`node_zoneinfo_${suffix}`, help, type, LABELS);

/** Kernel key → its Desc. Typed by the parser's key list, so none is missed. */
const METRICS: Record<ZoneinfoField, Desc> = {
  nr_free_pages: zoneDesc('nr_free_pages', 'gauge', 'Free pages in the zone.'),
  min: zoneDesc('min_pages', 'gauge', "The zone's min watermark, in pages."),
  low: zoneDesc('low_pages', 'gauge', "The zone's low watermark, in pages."),
  high: zoneDesc('high_pages', 'gauge', "The zone's high watermark, in pages."),
  scanned: zoneDesc('scanned_pages', 'gauge', 'Pages scanned since the last reclaim.'),
  spanned: zoneDesc('spanned_pages', 'gauge', 'Pages the zone spans, holes included.'),
  present: zoneDesc('present_pages', 'gauge', 'Physical pages present in the zone.'),
  managed: zoneDesc('managed_pages', 'gauge', 'Present pages the buddy allocator manages.'),
  nr_active_anon: zoneDesc('nr_active_anon_pages', 'gauge', 'Anonymous pages on the active LRU list.'),
  nr_inactive_anon: zoneDesc('nr_inactive_anon_pages', 'gauge', 'Anonymous pages on the inactive LRU list.'),
  nr_isolated_anon: zoneDesc('nr_isolated_anon_pages', 'gauge', 'Anonymous pages isolated from the LRU for now.'),
  nr_anon_pages: zoneDesc('nr_anon_pages', 'gauge', 'Anonymous pages mapped into user space.'),
  nr_anon_transparent_hugepages: zoneDesc('nr_anon_transparent_hugepages', 'gauge', 'Anonymous transparent huge pages in use.'),
  nr_active_file: zoneDesc('nr_active_file_pages', 'gauge', 'File-backed pages on the active LRU list.'),
  nr_inactive_file: zoneDesc('nr_inactive_file_pages', 'gauge', 'File-backed pages on the inactive LRU list.'),
  nr_isolated_file: zoneDesc('nr_isolated_file_pages', 'gauge', 'File-backed pages isolated from the LRU for now.'),
  nr_file_pages: zoneDesc('nr_file_pages', 'gauge', 'Pages in the page cache.'),
  nr_slab_reclaimable: zoneDesc('nr_slab_reclaimable_pages', 'gauge', 'Slab pages that can be reclaimed.'),
  nr_slab_unreclaimable: zoneDesc('nr_slab_unreclaimable_pages', 'gauge', 'Slab pages that cannot be reclaimed.'),
  nr_mlock_stack: zoneDesc('nr_mlock_stack_pages', 'gauge', 'Pages locked with mlock() and taken off the LRU.'),
  nr_kernel_stack: zoneDesc('nr_kernel_stacks', 'gauge', 'Kernel stacks (the kernel reports KiB on recent versions).'),
  nr_mapped: zoneDesc('nr_mapped_pages', 'gauge', 'Page cache pages mapped into user space.'),
  nr_dirty: zoneDesc('nr_dirty_pages', 'gauge', 'Dirty pages waiting to be written back.'),
  nr_writeback: zoneDesc('nr_writeback_pages', 'gauge', 'Pages being written back.'),
  nr_unevictable: zoneDesc('nr_unevictable_pages', 'gauge', 'Pages that cannot be evicted.'),
  nr_shmem: zoneDesc('nr_shmem_pages', 'gauge', 'Shared memory pages, tmpfs included.'),
  nr_dirtied: zoneDesc('nr_dirtied_total', 'counter', 'Pages dirtied since boot.'),
  nr_written: zoneDesc('nr_written_total', 'counter', 'Pages written back since boot.'),
  numa_hit: zoneDesc('numa_hit_total', 'counter', 'Allocations satisfied from the intended node.'),
  numa_miss: zoneDesc('numa_miss_total', 'counter', 'Allocations placed here although another node was intended.'),
  numa_foreign: zoneDesc('numa_foreign_total', 'counter', 'Allocations intended here but placed on another node.'),
  numa_interleave: zoneDesc('numa_interleave_total', 'counter', 'Interleaved allocations that chose this zone.'),
  numa_local: zoneDesc('numa_local_total', 'counter', 'Allocations made by a CPU of this node.'),
  numa_other: zoneDesc('numa_other_total', 'counter', 'Allocations made by a CPU of another node.'),
};

export const zoneinfo: CollectorDefinition = {
  name: 'zoneinfo',
  defaultEnabled: false,
  create({ paths }) {
    const file = paths.procFilePath('zoneinfo');
    // node_zoneinfo_protection_<i>: as many as the kernel has zone types.
    const protection = new DescTable();
    return {
      async collect(_ctx, out) {
        const zones = await readAndParse(file, parseZoneinfo);
        protection.nextRound();
        for (const z of zones) {
          for (const [key, value] of z.values) out.add(METRICS[key], value, z.node, z.zone);
          z.protection.forEach((value, i) =>
            out.add(
              protection.get(`node_zoneinfo_protection_${i}`, `Entry ${i} of the zone's protection (lowmem_reserve) array, in pages.`, 'gauge', LABELS),
              value,
              z.node,
              z.zone,
            ),
          );
        }
      },
    };
  },
};
