import { readdir } from '../read/dir.js';
import { newDesc, type CollectorDefinition, type Desc } from '../collector.js';
import { readAndParse } from '../read/files.js';
import { parseXfsStats, type XfsStats } from '../procfs/xfs-stat.js';
import { hasErrno } from '../errno.js';

const counter = (suffix: string, help: string): Desc => newDesc(`node_xfs_${suffix}`, help, 'counter', ['device']);

/** [Desc, stats group, index in the group]: node_exporter's selection, all counters. */
const METRICS: readonly (readonly [Desc, string, number])[] = [
  [counter('extent_allocation_extents_allocated_total', 'Extents allocated, per filesystem.'), 'extent_alloc', 0],
  [counter('extent_allocation_blocks_allocated_total', 'Blocks allocated, per filesystem.'), 'extent_alloc', 1],
  [counter('extent_allocation_extents_freed_total', 'Extents freed, per filesystem.'), 'extent_alloc', 2],
  [counter('extent_allocation_blocks_freed_total', 'Blocks freed, per filesystem.'), 'extent_alloc', 3],
  [counter('allocation_btree_lookups_total', 'Lookups in the free-space allocation B-trees, per filesystem.'), 'abt', 0],
  [counter('allocation_btree_compares_total', 'Compares in the free-space allocation B-trees, per filesystem.'), 'abt', 1],
  [counter('allocation_btree_records_inserted_total', 'Records inserted into the free-space allocation B-trees, per filesystem.'), 'abt', 2],
  [counter('allocation_btree_records_deleted_total', 'Records deleted from the free-space allocation B-trees, per filesystem.'), 'abt', 3],
  [counter('block_mapping_reads_total', 'Block map lookups for reads, per filesystem.'), 'blk_map', 0],
  [counter('block_mapping_writes_total', 'Block map lookups for writes, per filesystem.'), 'blk_map', 1],
  [counter('block_mapping_unmaps_total', 'Block unmaps (frees of mapped blocks), per filesystem.'), 'blk_map', 2],
  [counter('block_mapping_extent_list_insertions_total', 'Insertions into inode extent lists, per filesystem.'), 'blk_map', 3],
  [counter('block_mapping_extent_list_deletions_total', 'Deletions from inode extent lists, per filesystem.'), 'blk_map', 4],
  [counter('block_mapping_extent_list_lookups_total', 'Lookups in inode extent lists, per filesystem.'), 'blk_map', 5],
  [counter('block_mapping_extent_list_compares_total', 'Compares in inode extent lists, per filesystem.'), 'blk_map', 6],
  [counter('block_map_btree_lookups_total', 'Lookups in the block map B-trees, per filesystem.'), 'bmbt', 0],
  [counter('block_map_btree_compares_total', 'Compares in the block map B-trees, per filesystem.'), 'bmbt', 1],
  [counter('block_map_btree_records_inserted_total', 'Records inserted into the block map B-trees, per filesystem.'), 'bmbt', 2],
  [counter('block_map_btree_records_deleted_total', 'Records deleted from the block map B-trees, per filesystem.'), 'bmbt', 3],
  [counter('directory_operation_lookup_total', 'Directory name lookups that missed the dentry cache, per filesystem.'), 'dir', 0],
  [counter('directory_operation_create_total', 'Directory entries created, per filesystem.'), 'dir', 1],
  [counter('directory_operation_remove_total', 'Directory entries removed, per filesystem.'), 'dir', 2],
  [counter('directory_operation_getdents_total', 'getdents calls on directories, per filesystem.'), 'dir', 3],
  [counter('inode_operation_attempts_total', 'Inode cache lookups, per filesystem.'), 'ig', 0],
  [counter('inode_operation_found_total', 'Inode cache lookups that found the inode, per filesystem.'), 'ig', 1],
  [counter('inode_operation_recycled_total', 'Inode cache hits on an inode being recycled, so unusable, per filesystem.'), 'ig', 2],
  [counter('inode_operation_missed_total', 'Inode cache lookups that missed, per filesystem.'), 'ig', 3],
  [counter('inode_operation_duplicates_total', 'Inodes added to the cache that another task had already added, per filesystem.'), 'ig', 4],
  [counter('inode_operation_reclaims_total', 'Inodes reclaimed from the inode cache, per filesystem.'), 'ig', 5],
  [counter('inode_operation_attribute_changes_total', 'Explicit inode attribute changes, per filesystem.'), 'ig', 6],
  [counter('read_calls_total', 'read(2) calls on files of the filesystem, per filesystem.'), 'rw', 1],
  [counter('write_calls_total', 'write(2) calls on files of the filesystem, per filesystem.'), 'rw', 0],
  [counter('vnode_active_total', 'Vnodes not on the free lists, per filesystem.'), 'vnodes', 0],
  [counter('vnode_allocate_total', 'vn_alloc calls, per filesystem.'), 'vnodes', 1],
  [counter('vnode_get_total', 'vn_get calls, per filesystem.'), 'vnodes', 2],
  [counter('vnode_hold_total', 'vn_hold calls, per filesystem.'), 'vnodes', 3],
  [counter('vnode_release_total', 'vn_rele calls, per filesystem.'), 'vnodes', 4],
  [counter('vnode_reclaim_total', 'vn_reclaim calls, per filesystem.'), 'vnodes', 5],
  [counter('vnode_remove_total', 'vn_remove calls, per filesystem.'), 'vnodes', 6],
];

export const xfs: CollectorDefinition = {
  name: 'xfs',
  defaultEnabled: true,
  create({ paths }) {
    const base = paths.sysFilePath('fs/xfs');
    return {
      async collect(_ctx, out) {
        // Per-filesystem stats live in <dev>/stats/stats; the global stats/stats is not a device.
        const devices = (
          await readdir(base).catch((err: unknown) => {
            if (hasErrno(err, 'ENOENT', 'ENOTDIR')) return [] as string[];
            throw err;
          })
        ).sort();
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
        for (const s of stats) {
          if (s === undefined) continue;
          const [device, groups] = s;
          for (const [desc, group, index] of METRICS) out.add(desc, groups.get(group)?.[index] ?? 0, device);
        }
      },
    };
  },
};
