import { newDesc, type CollectorDefinition, type Desc } from '../collector.js';
import { parseNfsServerStats, type NfsServerStats } from '../procfs/nfs-rpc.js';
import { noDataIfMissing, readAndParse } from '../read/files.js';

/** [Desc, accessor] for the server's unlabelled figures. */
const FIELDS: readonly (readonly [Desc, (s: NfsServerStats) => number])[] = [
  [newDesc('node_nfsd_reply_cache_hits_total', 'Requests answered from the NFS server reply cache (retransmitted by the client).', 'counter'), (s) => s.replyCache.hits],
  [newDesc('node_nfsd_reply_cache_misses_total', 'Cacheable requests not found in the NFS server reply cache.', 'counter'), (s) => s.replyCache.misses],
  [newDesc('node_nfsd_reply_cache_nocache_total', 'Requests the NFS server does not cache replies for.', 'counter'), (s) => s.replyCache.noCache],
  [newDesc('node_nfsd_file_handles_stale_total', 'Stale file handles the NFS server has seen.', 'counter'), (s) => s.fileHandles.stale],
  [newDesc('node_nfsd_disk_bytes_read_total', 'Bytes the NFS server has read from disk.', 'counter'), (s) => s.io.read],
  [newDesc('node_nfsd_disk_bytes_written_total', 'Bytes the NFS server has written to disk.', 'counter'), (s) => s.io.write],
  [newDesc('node_nfsd_server_threads', 'NFS server kernel threads running.', 'gauge'), (s) => s.threads],
  [newDesc('node_nfsd_read_ahead_cache_size_blocks', 'Size of the NFS server read-ahead cache, in blocks.', 'gauge'), (s) => s.readAhead.cacheSize],
  [newDesc('node_nfsd_read_ahead_cache_not_found_total', 'NFS server read-ahead cache lookups that found nothing.', 'counter'), (s) => s.readAhead.notFound],
  [newDesc('node_nfsd_connections_total', 'TCP connections accepted by the NFS server.', 'counter'), (s) => s.network.tcpConnect],
  [newDesc('node_nfsd_server_rpcs_total', 'RPCs the NFS server has received.', 'counter'), (s) => s.rpc.rpcCount],
];
const packets = newDesc('node_nfsd_packets_total', 'NFS server network packets by transport protocol.', 'counter', ['proto']);
const rpcErrors = newDesc('node_nfsd_rpc_errors_total', 'Malformed or rejected RPCs at the NFS server, by kind.', 'counter', ['error']);
const requests = newDesc('node_nfsd_requests_total', 'NFS server requests by protocol version and procedure or operation.', 'counter', ['proto', 'method']);

/** Reads the kernel NFS server's counters from <procfs>/net/rpc/nfsd. */
export const nfsd: CollectorDefinition = {
  name: 'nfsd',
  defaultEnabled: true,
  create({ paths }) {
    const file = paths.procFilePath('net/rpc/nfsd');
    return {
      async collect(_ctx, out) {
        const s = await readAndParse(file, parseNfsServerStats).catch(noDataIfMissing(file));
        for (const [desc, value] of FIELDS) out.add(desc, value(s));
        out.add(packets, s.network.udpCount, 'udp');
        out.add(packets, s.network.tcpCount, 'tcp');
        out.add(rpcErrors, s.rpc.badFmt, 'fmt');
        out.add(rpcErrors, s.rpc.badAuth, 'auth');
        out.add(rpcErrors, s.rpc.badcInt, 'cInt');
        for (const [proto, counts] of [
          ['2', s.v2],
          ['3', s.v3],
          ['4', s.v4Ops],
        ] as const) {
          for (const [method, value] of counts) out.add(requests, value, proto, method);
        }
        out.add(requests, s.wdelegGetattr, '4', 'WdelegGetattr');
      },
    };
  },
};
