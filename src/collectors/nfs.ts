import { newDesc, type CollectorDefinition } from '../collector.js';
import { parseNfsClientStats } from '../procfs/nfs-rpc.js';
import { noDataIfMissing, readAndParse } from '../read/files.js';

const packets = newDesc('node_nfs_packets_total', 'NFS client network packets by transport protocol.', 'counter', ['protocol']);
const connections = newDesc('node_nfs_connections_total', 'NFS client TCP connections made.', 'counter');
const rpcs = newDesc('node_nfs_rpcs_total', 'RPCs the NFS client has sent.', 'counter');
const retransmissions = newDesc('node_nfs_rpc_retransmissions_total', 'RPCs the NFS client had to retransmit.', 'counter');
const authRefreshes = newDesc('node_nfs_rpc_authentication_refreshes_total', 'RPC credential refreshes by the NFS client.', 'counter');
const requests = newDesc('node_nfs_requests_total', 'NFS client procedure calls by protocol version and procedure.', 'counter', ['proto', 'method']);

/** Reads the NFS client's RPC counters from <procfs>/net/rpc/nfs. */
export const nfs: CollectorDefinition = {
  name: 'nfs',
  defaultEnabled: true,
  create({ paths }) {
    const file = paths.procFilePath('net/rpc/nfs');
    return {
      async collect(_ctx, out) {
        // No NFS client module loaded: nothing to report, as upstream.
        const s = await readAndParse(file, parseNfsClientStats).catch(noDataIfMissing(file));
        out.add(packets, s.network.udpCount, 'udp');
        out.add(packets, s.network.tcpCount, 'tcp');
        out.add(connections, s.network.tcpConnect);
        out.add(rpcs, s.rpc.rpcCount);
        out.add(retransmissions, s.rpc.retransmissions);
        out.add(authRefreshes, s.rpc.authRefreshes);
        for (const [proto, counts] of [
          ['2', s.v2],
          ['3', s.v3],
          ['4', s.v4],
        ] as const) {
          for (const [method, value] of counts) out.add(requests, value, proto, method);
        }
      },
    };
  },
};
