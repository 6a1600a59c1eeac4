import { newDesc, NoDataError, type CollectorDefinition, type Desc } from '../collector.js';
import { parseConntrackStat, parseSingleUint, type ConntrackCpuStat } from '../procfs/net-conntrack.js';
import { readAndParse } from '../read/files.js';
import { hasErrno } from '../errno.js';

const entriesDesc = newDesc('node_nf_conntrack_entries', 'Connection tracking entries currently allocated.', 'gauge');
const limitDesc = newDesc('node_nf_conntrack_entries_limit', 'Size limit of the connection tracking table.', 'gauge');

/** Upstream's stat_* gauges, each the sum over CPUs of one counter. */
const STATS: readonly [Desc, (s: ConntrackCpuStat) => number][] = [
  [newDesc('node_nf_conntrack_stat_found', 'Lookups that found an existing entry.', 'gauge'), (s) => s.found],
  [newDesc('node_nf_conntrack_stat_invalid', 'Packets conntrack could not track.', 'gauge'), (s) => s.invalid],
  [newDesc('node_nf_conntrack_stat_ignore', 'Packets that already had a conntrack entry attached.', 'gauge'), (s) => s.ignore],
  [newDesc('node_nf_conntrack_stat_insert', 'Entries inserted into the table.', 'gauge'), (s) => s.insert],
  [newDesc('node_nf_conntrack_stat_insert_failed', 'Entries whose insertion failed (an equal entry was already there).', 'gauge'), (s) => s.insertFailed],
  [newDesc('node_nf_conntrack_stat_drop', 'Packets dropped because conntrack failed (allocation or helper).', 'gauge'), (s) => s.drop],
  [newDesc('node_nf_conntrack_stat_early_drop', 'Entries dropped early to make room when the table was full.', 'gauge'), (s) => s.earlyDrop],
  [newDesc('node_nf_conntrack_stat_search_restart', 'Table lookups restarted because the hash table was resized.', 'gauge'), (s) => s.searchRestart],
];

/** ENOENT means the nf_conntrack module is not loaded: no data, as upstream. */
function noDataIfMissing(err: unknown): never {
  if (hasErrno(err, 'ENOENT')) throw new NoDataError('conntrack probably not loaded');
  throw err;
}

export const conntrack: CollectorDefinition = {
  name: 'conntrack',
  defaultEnabled: true,
  create({ paths }) {
    const count = paths.procFilePath('sys/net/netfilter/nf_conntrack_count');
    const max = paths.procFilePath('sys/net/netfilter/nf_conntrack_max');
    const stat = paths.procFilePath('net/stat/nf_conntrack');
    return {
      async collect(_ctx, out) {
        const [entries, limit, perCpu] = await Promise.all([
          readAndParse(count, parseSingleUint).catch(noDataIfMissing),
          readAndParse(max, parseSingleUint).catch(noDataIfMissing),
          readAndParse(stat, parseConntrackStat).catch(noDataIfMissing),
        ]);
        out.add(entriesDesc, entries);
        out.add(limitDesc, limit);
        for (const [desc, get] of STATS)
          out.add(
            desc,
            perCpu.reduce((sum, cpu) => sum + get(cpu), 0),
          );
      },
    };
  },
};
