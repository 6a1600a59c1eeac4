import { readdir } from '../procfs/dir.js';
import { family, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { hasErrno, readAndParse } from '../procfs/read.js';
import { parseXfsStats, type XfsStats } from '../procfs/xfs-stat.js';

/** [metric suffix, stats group, index in the group, help]: node_exporter's selection, all counters. */
const METRICS: readonly (readonly [string, string, number, string])[] = [
  ['extent_allocation_extents_allocated_total', 'extent_alloc', 0, 'Extents allocated.'],
  ['extent_allocation_blocks_allocated_total', 'extent_alloc', 1, 'Blocks allocated.'],
  ['extent_allocation_extents_freed_total', 'extent_alloc', 2, 'Extents freed.'],
  ['extent_allocation_blocks_freed_total', 'extent_alloc', 3, 'Blocks freed.'],
  ['allocation_btree_lookups_total', 'abt', 0, 'Lookups in the free-space allocation B-trees.'],
  ['allocation_btree_compares_total', 'abt', 1, 'Compares in the free-space allocation B-trees.'],
  ['allocation_btree_records_inserted_total', 'abt', 2, 'Records inserted into the free-space allocation B-trees.'],
  ['allocation_btree_records_deleted_total', 'abt', 3, 'Records deleted from the free-space allocation B-trees.'],
  ['block_mapping_reads_total', 'blk_map', 0, 'Block map lookups for reads.'],
  ['block_mapping_writes_total', 'blk_map', 1, 'Block map lookups for writes.'],
  ['block_mapping_unmaps_total', 'blk_map', 2, 'Block unmaps (frees of mapped blocks).'],
  ['block_mapping_extent_list_insertions_total', 'blk_map', 3, 'Insertions into inode extent lists.'],
  ['block_mapping_extent_list_deletions_total', 'blk_map', 4, 'Deletions from inode extent lists.'],
  ['block_mapping_extent_list_lookups_total', 'blk_map', 5, 'Lookups in inode extent lists.'],
  ['block_mapping_extent_list_compares_total', 'blk_map', 6, 'Compares in inode extent lists.'],
  ['block_map_btree_lookups_total', 'bmbt', 0, 'Lookups in the block map B-trees.'],
  ['block_map_btree_compares_total', 'bmbt', 1, 'Compares in the block map B-trees.'],
  ['block_map_btree_records_inserted_total', 'bmbt', 2, 'Records inserted into the block map B-trees.'],
  ['block_map_btree_records_deleted_total', 'bmbt', 3, 'Records deleted from the block map B-trees.'],
  ['directory_operation_lookup_total', 'dir', 0, 'Directory name lookups that missed the dentry cache.'],
  ['directory_operation_create_total', 'dir', 1, 'Directory entries created.'],
  ['directory_operation_remove_total', 'dir', 2, 'Directory entries removed.'],
  ['directory_operation_getdents_total', 'dir', 3, 'getdents calls on directories.'],
  ['inode_operation_attempts_total', 'ig', 0, 'Inode cache lookups.'],
  ['inode_operation_found_total', 'ig', 1, 'Inode cache lookups that found the inode.'],
  ['inode_operation_recycled_total', 'ig', 2, 'Inode cache hits on an inode being recycled, so unusable.'],
  ['inode_operation_missed_total', 'ig', 3, 'Inode cache lookups that missed.'],
  ['inode_operation_duplicates_total', 'ig', 4, 'Inodes added to the cache that another task had already added.'],
  ['inode_operation_reclaims_total', 'ig', 5, 'Inodes reclaimed from the inode cache.'],
  ['inode_operation_attribute_changes_total', 'ig', 6, 'Explicit inode attribute changes.'],
  ['read_calls_total', 'rw', 1, 'read(2) calls on files of the filesystem.'],
  ['write_calls_total', 'rw', 0, 'write(2) calls on files of the filesystem.'],
  ['vnode_active_total', 'vnodes', 0, 'Vnodes not on the free lists.'],
  ['vnode_allocate_total', 'vnodes', 1, 'vn_alloc calls.'],
  ['vnode_get_total', 'vnodes', 2, 'vn_get calls.'],
  ['vnode_hold_total', 'vnodes', 3, 'vn_hold calls.'],
  ['vnode_release_total', 'vnodes', 4, 'vn_rele calls.'],
  ['vnode_reclaim_total', 'vnodes', 5, 'vn_reclaim calls.'],
  ['vnode_remove_total', 'vnodes', 6, 'vn_remove calls.'],
];


export const xfs: CollectorDefinition = {
  name: 'xfs',
  defaultEnabled: true,
  create({ paths }) {
    const base = paths.sysFilePath('fs/xfs');
    return {
      async collect(): Promise<MetricFamily[]> {
        // Per-filesystem stats live in <dev>/stats/stats; the global stats/stats is not a device.
        const devices = (await readdir(base).catch((err: unknown) => {
          if (hasErrno(err, 'ENOENT', 'ENOTDIR')) return [] as string[];
          throw err;
        })).sort();
        const stats = await Promise.all(
          devices.map(async (device): Promise<[string, XfsStats] | undefined> => {
            try {
              return [device, await readAndParse(`${base}/${device}/stats/stats`, parseXfsStats)];
            } catch (err) {
              if (hasErrno(err, 'ENOENT', 'ENOTDIR')) return undefined;
              throw err;
            }
          }),
        );
        return METRICS.map(([suffix, group, index, help]) =>
          family(
            `node_xfs_${suffix}`,
            help.replace(/\.$/, ', per filesystem.'),
            'counter',
            stats.filter((s) => s !== undefined).map(([device, s]) => ({ labels: { device }, value: s.get(group)?.[index] ?? 0 })),
          ),
        );
      },
    };
  },
};
