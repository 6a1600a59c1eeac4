import { ConfigError, newDesc, NoDataError, type CollectorDefinition, type Desc } from '../collector.js';
import { parseIpvsBackends, parseIpvsStats, type IpvsBackend, type IpvsStats } from '../procfs/ipvs.js';
import { readAndParse } from '../read/files.js';
import { hasErrno } from '../errno.js';

const LABELS_FLAG = 'collector.ipvs.backend-labels';
const ALL_LABELS = ['local_address', 'local_port', 'remote_address', 'remote_port', 'proto', 'local_mark'] as const;
type BackendLabel = (typeof ALL_LABELS)[number];

/** The flag's comma list, in upstream's fixed label order; unknown names are a start-up error. */
export function parseBackendLabels(text: string): BackendLabel[] {
  const given = new Set(text.split(',').filter((l) => l !== ''));
  const unknown = [...given].filter((l) => !(ALL_LABELS as readonly string[]).includes(l)).sort();
  if (unknown.length > 0) throw new ConfigError(`--${LABELS_FLAG}: unknown IPVS backend labels: ${JSON.stringify(unknown.join(', '))}`);
  return ALL_LABELS.filter((l) => given.has(l));
}

const TOTALS: readonly [Desc, (s: IpvsStats) => number][] = [
  [newDesc('node_ipvs_connections_total', 'Connections IPVS has handled.', 'counter'), (s) => s.connections],
  [newDesc('node_ipvs_incoming_packets_total', 'Packets IPVS has received.', 'counter'), (s) => s.incomingPackets],
  [newDesc('node_ipvs_outgoing_packets_total', 'Packets IPVS has sent.', 'counter'), (s) => s.outgoingPackets],
  [newDesc('node_ipvs_incoming_bytes_total', 'Bytes IPVS has received.', 'counter'), (s) => s.incomingBytes],
  [newDesc('node_ipvs_outgoing_bytes_total', 'Bytes IPVS has sent.', 'counter'), (s) => s.outgoingBytes],
];

interface BackendSums {
  labelValues: string[];
  active: number;
  inactive: number;
  weight: number;
}

/** The per-backend gauges, with the label names --collector.ipvs.backend-labels chose. */
function backendDescs(labels: readonly BackendLabel[]): [Desc, (s: BackendSums) => number][] {
  return [
    [newDesc('node_ipvs_backend_connections_active', 'Active connections per backend.', 'gauge', labels), (s) => s.active],
    [newDesc('node_ipvs_backend_connections_inactive', 'Inactive connections per backend.', 'gauge', labels), (s) => s.inactive],
    [newDesc('node_ipvs_backend_weight', 'Weight of each backend.', 'gauge', labels), (s) => s.weight],
  ];
}

const labelValue = (b: IpvsBackend, l: BackendLabel): string => {
  switch (l) {
    case 'local_address':
      return b.localAddress;
    case 'local_port':
      return String(b.localPort);
    case 'remote_address':
      return b.remoteAddress;
    case 'remote_port':
      return String(b.remotePort);
    case 'proto':
      return b.proto;
    case 'local_mark':
      return b.localMark;
  }
};

export const ipvs: CollectorDefinition = {
  name: 'ipvs',
  defaultEnabled: true,
  options: [{ flag: LABELS_FLAG, help: 'Comma-separated labels of the IPVS backend metrics (backends equal in all of them are summed).', defaultValue: ALL_LABELS.join(',') }],
  create({ paths, options }) {
    const raw = options.get(LABELS_FLAG);
    const labels = parseBackendLabels(typeof raw === 'string' ? raw : ALL_LABELS.join(','));
    const statsFile = paths.procFilePath('net/ip_vs_stats');
    const backendsFile = paths.procFilePath('net/ip_vs');
    const backendGauges = backendDescs(labels);
    return {
      async collect(_ctx, out) {
        const stats = await readAndParse(statsFile, parseIpvsStats).catch((err: unknown) => {
          if (hasErrno(err, 'ENOENT')) throw new NoDataError('no ip_vs_stats (ip_vs not loaded)');
          throw err;
        });
        const backends = await readAndParse(backendsFile, parseIpvsBackends);
        // Backends that differ only in labels left out are summed into one series.
        const sums = new Map<string, BackendSums>();
        for (const b of backends) {
          const labelValues = labels.map((l) => labelValue(b, l));
          const key = labelValues.join('-');
          let s = sums.get(key);
          if (s === undefined) sums.set(key, (s = { labelValues, active: 0, inactive: 0, weight: 0 }));
          s.active += b.activeConn;
          s.inactive += b.inactConn;
          s.weight += b.weight;
        }
        for (const [desc, get] of TOTALS) out.add(desc, get(stats));
        for (const s of sums.values()) for (const [desc, get] of backendGauges) out.addv(desc, get(s), s.labelValues);
      },
    };
  },
};
