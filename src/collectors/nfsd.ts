import { family, type CollectorDefinition, type MetricFamily, type Sample } from '../collector.js';
import { parseNfsServerStats } from '../procfs/nfs-rpc.js';
import { noDataIfMissing, readAndParse } from '../procfs/read.js';
import { requestSamples } from './nfs.js';

const one = (value: number): Sample[] => [{ labels: {}, value }];

/** Reads the kernel NFS server's counters from <procfs>/net/rpc/nfsd. */
export const nfsd: CollectorDefinition = {
  name: 'nfsd',
  defaultEnabled: true,
  create({ paths }) {
    const file = paths.procFilePath('net/rpc/nfsd');
    return {
      async collect(): Promise<MetricFamily[]> {
        const s = await readAndParse(file, parseNfsServerStats).catch(noDataIfMissing(file));
        return [
          family('node_nfsd_reply_cache_hits_total', 'Requests answered from the NFS server reply cache (retransmitted by the client).', 'counter', one(s.replyCache.hits)),
          family('node_nfsd_reply_cache_misses_total', 'Cacheable requests not found in the NFS server reply cache.', 'counter', one(s.replyCache.misses)),
          family('node_nfsd_reply_cache_nocache_total', 'Requests the NFS server does not cache replies for.', 'counter', one(s.replyCache.noCache)),
          family('node_nfsd_file_handles_stale_total', 'Stale file handles the NFS server has seen.', 'counter', one(s.fileHandles.stale)),
          family('node_nfsd_disk_bytes_read_total', 'Bytes the NFS server has read from disk.', 'counter', one(s.io.read)),
          family('node_nfsd_disk_bytes_written_total', 'Bytes the NFS server has written to disk.', 'counter', one(s.io.write)),
          family('node_nfsd_server_threads', 'NFS server kernel threads running.', 'gauge', one(s.threads)),
          family('node_nfsd_read_ahead_cache_size_blocks', 'Size of the NFS server read-ahead cache, in blocks.', 'gauge', one(s.readAhead.cacheSize)),
          family('node_nfsd_read_ahead_cache_not_found_total', 'NFS server read-ahead cache lookups that found nothing.', 'counter', one(s.readAhead.notFound)),
          family('node_nfsd_packets_total', 'NFS server network packets by transport protocol.', 'counter', [
            { labels: { proto: 'udp' }, value: s.network.udpCount },
            { labels: { proto: 'tcp' }, value: s.network.tcpCount },
          ]),
          family('node_nfsd_connections_total', 'TCP connections accepted by the NFS server.', 'counter', one(s.network.tcpConnect)),
          family('node_nfsd_rpc_errors_total', 'Malformed or rejected RPCs at the NFS server, by kind.', 'counter', [
            { labels: { error: 'fmt' }, value: s.rpc.badFmt },
            { labels: { error: 'auth' }, value: s.rpc.badAuth },
            { labels: { error: 'cInt' }, value: s.rpc.badcInt },
          ]),
          family('node_nfsd_server_rpcs_total', 'RPCs the NFS server has received.', 'counter', one(s.rpc.rpcCount)),
          family('node_nfsd_requests_total', 'NFS server requests by protocol version and procedure or operation.', 'counter', [
            ...requestSamples('2', s.v2),
            ...requestSamples('3', s.v3),
            ...requestSamples('4', s.v4Ops),
            { labels: { proto: '4', method: 'WdelegGetattr' }, value: s.wdelegGetattr },
          ]),
        ];
      },
    };
  },
};
