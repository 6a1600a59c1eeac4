import { family, NoDataError, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { parseConntrackStat, parseSingleUint, type ConntrackCpuStat } from '../procfs/net-conntrack.js';
import { hasErrno, readAndParse } from '../procfs/read.js';

/** Upstream's stat_* names, each the sum over CPUs of one counter. */
const STATS: readonly [keyof ConntrackCpuStat, string, string][] = [
  ['found', 'node_nf_conntrack_stat_found', 'Lookups that found an existing entry.'],
  ['invalid', 'node_nf_conntrack_stat_invalid', 'Packets conntrack could not track.'],
  ['ignore', 'node_nf_conntrack_stat_ignore', 'Packets that already had a conntrack entry attached.'],
  ['insert', 'node_nf_conntrack_stat_insert', 'Entries inserted into the table.'],
  ['insertFailed', 'node_nf_conntrack_stat_insert_failed', 'Entries whose insertion failed (an equal entry was already there).'],
  ['drop', 'node_nf_conntrack_stat_drop', 'Packets dropped because conntrack failed (allocation or helper).'],
  ['earlyDrop', 'node_nf_conntrack_stat_early_drop', 'Entries dropped early to make room when the table was full.'],
  ['searchRestart', 'node_nf_conntrack_stat_search_restart', 'Table lookups restarted because the hash table was resized.'],
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
      async collect(): Promise<MetricFamily[]> {
        const [entries, limit, perCpu] = await Promise.all([
          readAndParse(count, parseSingleUint).catch(noDataIfMissing),
          readAndParse(max, parseSingleUint).catch(noDataIfMissing),
          readAndParse(stat, parseConntrackStat).catch(noDataIfMissing),
        ]);
        return [
          family('node_nf_conntrack_entries', 'Connection tracking entries currently allocated.', 'gauge', [{ labels: {}, value: entries }]),
          family('node_nf_conntrack_entries_limit', 'Size limit of the connection tracking table.', 'gauge', [{ labels: {}, value: limit }]),
          ...STATS.map(([key, name, help]) =>
            family(name, help, 'gauge', [{ labels: {}, value: perCpu.reduce((sum, cpu) => sum + cpu[key], 0) }]),
          ),
        ];
      },
    };
  },
};
