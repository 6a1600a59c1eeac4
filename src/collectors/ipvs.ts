import { ConfigError, family, NoDataError, type CollectorDefinition, type MetricFamily, type Sample } from '../collector.js';
import { parseIpvsBackends, parseIpvsStats, type IpvsBackend } from '../procfs/ipvs.js';
import { hasErrno, readAndParse } from '../procfs/read.js';

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

const labelValue = (b: IpvsBackend, l: BackendLabel): string => {
  switch (l) {
    case 'local_address': return b.localAddress;
    case 'local_port': return String(b.localPort);
    case 'remote_address': return b.remoteAddress;
    case 'remote_port': return String(b.remotePort);
    case 'proto': return b.proto;
    case 'local_mark': return b.localMark;
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
    return {
      async collect(): Promise<MetricFamily[]> {
        const stats = await readAndParse(statsFile, parseIpvsStats).catch((err: unknown) => {
          if (hasErrno(err, 'ENOENT')) throw new NoDataError('no ip_vs_stats (ip_vs not loaded)');
          throw err;
        });
        const backends = await readAndParse(backendsFile, parseIpvsBackends);
        // Backends that differ only in labels left out are summed into one series.
        const sums = new Map<string, { labels: Record<string, string>; active: number; inactive: number; weight: number }>();
        for (const b of backends) {
          const values = labels.map((l) => labelValue(b, l));
          const key = values.join('-');
          let s = sums.get(key);
          if (s === undefined) sums.set(key, (s = { labels: Object.fromEntries(labels.map((l, i) => [l, values[i] ?? ''])), active: 0, inactive: 0, weight: 0 }));
          s.active += b.activeConn;
          s.inactive += b.inactConn;
          s.weight += b.weight;
        }
        const series = (pick: (s: { active: number; inactive: number; weight: number }) => number): Sample[] => [...sums.values()].map((s) => ({ labels: s.labels, value: pick(s) }));
        const total = (name: string, help: string, value: number) => family(`node_ipvs_${name}`, help, 'counter', [{ labels: {}, value }]);
        return [
          total('connections_total', 'Connections IPVS has handled.', stats.connections),
          total('incoming_packets_total', 'Packets IPVS has received.', stats.incomingPackets),
          total('outgoing_packets_total', 'Packets IPVS has sent.', stats.outgoingPackets),
          total('incoming_bytes_total', 'Bytes IPVS has received.', stats.incomingBytes),
          total('outgoing_bytes_total', 'Bytes IPVS has sent.', stats.outgoingBytes),
          family('node_ipvs_backend_connections_active', 'Active connections per backend.', 'gauge', series((s) => s.active)),
          family('node_ipvs_backend_connections_inactive', 'Inactive connections per backend.', 'gauge', series((s) => s.inactive)),
          family('node_ipvs_backend_weight', 'Weight of each backend.', 'gauge', series((s) => s.weight)),
        ];
      },
    };
  },
};
