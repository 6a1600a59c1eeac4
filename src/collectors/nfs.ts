import { family, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { parseNfsClientStats, type ProcedureCount } from '../procfs/nfs-rpc.js';
import { noDataIfMissing, readAndParse } from '../procfs/read.js';

/** Procedure counters as node_{nfs,nfsd}_requests_total samples. */
export function requestSamples(proto: string, counts: readonly ProcedureCount[]): { labels: { proto: string; method: string }; value: number }[] {
  return counts.map(([method, value]) => ({ labels: { proto, method }, value }));
}

/** Reads the NFS client's RPC counters from <procfs>/net/rpc/nfs. */
export const nfs: CollectorDefinition = {
  name: 'nfs',
  defaultEnabled: true,
  create({ paths }) {
    const file = paths.procFilePath('net/rpc/nfs');
    return {
      async collect(): Promise<MetricFamily[]> {
        // No NFS client module loaded: nothing to report, as upstream.
        const s = await readAndParse(file, parseNfsClientStats).catch(noDataIfMissing(file));
        return [
          family('node_nfs_packets_total', 'NFS client network packets by transport protocol.', 'counter', [
            { labels: { protocol: 'udp' }, value: s.network.udpCount },
            { labels: { protocol: 'tcp' }, value: s.network.tcpCount },
          ]),
          family('node_nfs_connections_total', 'NFS client TCP connections made.', 'counter', [{ labels: {}, value: s.network.tcpConnect }]),
          family('node_nfs_rpcs_total', 'RPCs the NFS client has sent.', 'counter', [{ labels: {}, value: s.rpc.rpcCount }]),
          family('node_nfs_rpc_retransmissions_total', 'RPCs the NFS client had to retransmit.', 'counter', [{ labels: {}, value: s.rpc.retransmissions }]),
          family('node_nfs_rpc_authentication_refreshes_total', 'RPC credential refreshes by the NFS client.', 'counter', [
            { labels: {}, value: s.rpc.authRefreshes },
          ]),
          family('node_nfs_requests_total', 'NFS client procedure calls by protocol version and procedure.', 'counter', [
            ...requestSamples('2', s.v2),
            ...requestSamples('3', s.v3),
            ...requestSamples('4', s.v4),
          ]),
        ];
      },
    };
  },
};
