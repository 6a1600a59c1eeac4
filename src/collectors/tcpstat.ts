import { stat } from '../read/dir.js';
import { newDesc, type CollectorDefinition } from '../collector.js';
import { AF_INET, AF_INET6, dumpTcpSockets, type TcpSocket } from '../netlink/inet-diag.js';

const states = newDesc('node_tcp_connection_states', 'TCP sockets by connection state, plus the bytes queued on them.', 'gauge', ['state']);

/**
 * Series keys as node_exporter numbers them: TCP states 1–11 (linux/tcp_states.h), then two
 * keys of its own for the queued bytes. Those two share their numbers with the kernel's states
 * 12 and 13 (NEW_SYN_RECV, BOUND_INACTIVE), so a socket in one of those counts there, as upstream.
 */
const RX_QUEUED = 12;
const TX_QUEUED = 13;
const NAMES = [
  '',
  'established',
  'syn_sent',
  'syn_recv',
  'fin_wait1',
  'fin_wait2',
  'time_wait',
  'close',
  'close_wait',
  'last_ack',
  'listen',
  'closing',
  'rx_queued_bytes',
  'tx_queued_bytes',
];

/** Sockets → node_tcp_connection_states values by state label. */
export function tcpStateCounts(sockets: Iterable<TcpSocket>): Map<string, number> {
  const byKey = new Map<number, number>();
  const add = (key: number, v: number) => byKey.set(key, (byKey.get(key) ?? 0) + v);
  for (const s of sockets) {
    add(TX_QUEUED, s.wqueue);
    add(RX_QUEUED, s.rqueue);
    add(s.state, 1);
  }
  // Keys without a name all read "unknown": one series for them, not duplicates.
  const byName = new Map<string, number>();
  for (const [key, v] of byKey) {
    const name = (key > 0 ? NAMES[key] : undefined) ?? 'unknown';
    byName.set(name, (byName.get(name) ?? 0) + v);
  }
  return byName;
}

export const tcpstat: CollectorDefinition = {
  name: 'tcpstat',
  defaultEnabled: false,
  create({ paths }) {
    const tcp6 = paths.procFilePath('net/tcp6');
    return {
      async collect(_ctx, out) {
        // Upstream asks for IPv6 sockets only where <procfs>/net/tcp6 exists (IPv6 built in).
        const hasIPv6 = await stat(tcp6).then(
          () => true,
          () => false,
        );
        const dumps = await Promise.all([dumpTcpSockets(AF_INET), hasIPv6 ? dumpTcpSockets(AF_INET6) : []]);
        for (const [state, n] of tcpStateCounts(dumps.flat())) out.add(states, n, state);
      },
    };
  },
};
