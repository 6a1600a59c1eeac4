import { newDesc, type CollectorDefinition, type Desc, type MetricType, type Sink } from '../collector.js';
import type { Logger } from '../logger.js';
import { parseMountInfo } from '../procfs/mountinfo.js';
import { type NFS_BYTES_NAMES, NFS_EVENT_NAMES, parseMountStats, type NfsMountStats, type NfsOperationStats, type NfsTransportStats } from '../procfs/mountstats.js';
import { readProcFiles, withFileName } from '../read/files.js';

const PREFIX = 'node_mountstats_nfs_';
/** Upstream folds these counters modulo 2^53 (a float64's exact-integer range) before converting. */
const MANTISSA = 2n ** 53n;
const folded = (v: bigint): number => Number(v % MANTISSA);

const DEVICE = ['export', 'protocol', 'mountaddr'];
const TRANSPORT = [...DEVICE, 'transport'];
const OPERATION = [...DEVICE, 'operation'];
const nfsDesc = (suffix: string, help: string, type: MetricType, labelNames: readonly string[]): Desc => newDesc(`${PREFIX}${suffix}`, help, type, labelNames);

const mountpointInfo = nfsDesc('mountpoint_info', 'Information about an NFS mount point.', 'gauge', [...DEVICE, 'mountpoint']);
const age = nfsDesc('age_seconds_total', 'Seconds since the NFS mount was made.', 'counter', DEVICE);

/** [Desc, "bytes:" counter], upstream's names. */
const BYTES: readonly (readonly [Desc, (typeof NFS_BYTES_NAMES)[number]])[] = [
  [nfsDesc('read_bytes_total', 'Bytes read through read().', 'counter', DEVICE), 'read'],
  [nfsDesc('write_bytes_total', 'Bytes written through write().', 'counter', DEVICE), 'write'],
  [nfsDesc('direct_read_bytes_total', 'Bytes read through read() on O_DIRECT files.', 'counter', DEVICE), 'direct_read'],
  [nfsDesc('direct_write_bytes_total', 'Bytes written through write() on O_DIRECT files.', 'counter', DEVICE), 'direct_write'],
  [nfsDesc('total_read_bytes_total', 'Bytes read from the NFS server in all.', 'counter', DEVICE), 'total_read'],
  [nfsDesc('total_write_bytes_total', 'Bytes written to the NFS server in all.', 'counter', DEVICE), 'total_write'],
  [nfsDesc('read_pages_total', 'Pages read through mmap()ed files.', 'counter', DEVICE), 'read_pages'],
  [nfsDesc('write_pages_total', 'Pages written through mmap()ed files.', 'counter', DEVICE), 'write_pages'],
];

const TRANSPORTS: readonly (readonly [Desc, (t: NfsTransportStats) => number])[] = [
  [nfsDesc('transport_bind_total', 'Times the client bound a new transport to the server.', 'counter', TRANSPORT), (t) => t.bind],
  [nfsDesc('transport_connect_total', 'TCP connections the client made to the server.', 'counter', TRANSPORT), (t) => t.connect],
  [nfsDesc('transport_idle_time_seconds', 'Seconds since the transport last carried RPC traffic.', 'gauge', TRANSPORT), (t) => folded(t.idleTimeSeconds)],
  [nfsDesc('transport_sends_total', 'RPC requests sent on the transport.', 'counter', TRANSPORT), (t) => t.sends],
  [nfsDesc('transport_receives_total', 'RPC replies received on the transport.', 'counter', TRANSPORT), (t) => t.receives],
  [nfsDesc('transport_bad_transaction_ids_total', 'Replies whose transaction ID the client did not know.', 'counter', TRANSPORT), (t) => t.badTransactionIds],
  [nfsDesc('transport_backlog_queue_total', 'Sum of the backlog queue length at each request.', 'counter', TRANSPORT), (t) => t.cumulativeBacklog],
  [nfsDesc('transport_maximum_rpc_slots', 'Most RPC slots ever in use at once.', 'gauge', TRANSPORT), (t) => t.maximumRpcSlotsUsed],
  [nfsDesc('transport_sending_queue_total', 'Sum of the sending queue length at each request.', 'counter', TRANSPORT), (t) => t.cumulativeSendingQueue],
  [nfsDesc('transport_pending_queue_total', 'Sum of the pending queue length at each request.', 'counter', TRANSPORT), (t) => t.cumulativePendingQueue],
];

const opCounter = (suffix: string, help: string): Desc => nfsDesc(`operations_${suffix}`, help, 'counter', OPERATION);
const seconds = (ms: bigint): number => folded(ms) / 1000;
const OPERATIONS: readonly (readonly [Desc, (o: NfsOperationStats) => number])[] = [
  [opCounter('requests_total', 'Requests made, by NFS operation.'), (o) => o.requests],
  [opCounter('transmissions_total', 'RPC transmissions (retries included), by NFS operation.'), (o) => o.transmissions],
  [opCounter('major_timeouts_total', 'Major timeouts, by NFS operation.'), (o) => o.majorTimeouts],
  [opCounter('sent_bytes_total', 'Bytes sent (RPC headers and payload), by NFS operation.'), (o) => o.bytesSent],
  [opCounter('received_bytes_total', 'Bytes received (RPC headers and payload), by NFS operation.'), (o) => o.bytesReceived],
  [opCounter('queue_time_seconds_total', 'Seconds requests waited to be sent, by NFS operation.'), (o) => seconds(o.queueMilliseconds)],
  [opCounter('response_time_seconds_total', 'Seconds from sending to the reply, by NFS operation.'), (o) => seconds(o.responseMilliseconds)],
  [opCounter('request_time_seconds_total', 'Seconds from queueing to completion, by NFS operation.'), (o) => seconds(o.requestMilliseconds)],
];

/** [Desc, "events:" counter] for every event but congestion_wait, which upstream does not export. */
const EVENTS: readonly (readonly [Desc, string])[] = NFS_EVENT_NAMES.filter((name) => name !== 'congestion_wait').map((name) => [
  nfsDesc(`event_${name}_total`, `NFS client "${name.replaceAll('_', ' ')}" events.`, 'counter', DEVICE),
  name,
]);

/** The value of `name=` in a comma-separated option list ("" when absent, as upstream's map lookup). */
function optionValue(options: string, name: string): string {
  for (const opt of options.split(',')) {
    const parts = opt.split('=');
    if (parts.length === 2 && parts[0] === name) return parts[1] ?? '';
  }
  return '';
}

function addDeviceStats(out: Sink, s: NfsMountStats, labels: readonly [string, string, string]): void {
  out.addv(age, s.ageSeconds, labels);
  for (const [desc, name] of BYTES) out.addv(desc, s.bytes.get(name) ?? 0, labels);
  s.transports.forEach((t, i) => {
    for (const [desc, value] of TRANSPORTS) out.addv(desc, value(t), [...labels, String(i)]);
  });
  for (const op of s.operations) {
    for (const [desc, value] of OPERATIONS) out.addv(desc, value(op), [...labels, op.operation]);
  }
  for (const [desc, name] of EVENTS) out.addv(desc, s.events.get(name) ?? 0, labels);
}

async function collectMountStats(out: Sink, statsFile: string, infoFile: string, logger: Logger): Promise<void> {
  const [statsText = '', infoText = ''] = await readProcFiles([statsFile, infoFile]);
  if (statsText instanceof Error) throw statsText;
  if (infoText instanceof Error) throw infoText;
  const mounts = withFileName(statsFile, () => parseMountStats(statsText));
  const infos = withFileName(infoFile, () => parseMountInfo(infoText));
  const seenMountpoints = new Set<string>();
  const seenDevices = new Set<string>();
  mounts.forEach((m, idx) => {
    if (m.nfs === undefined) return;
    // Both files list the mounts in the same order, so the index pairs them up.
    const mountaddr = optionValue(infos[idx]?.superOptions ?? '', 'addr');
    for (const t of m.nfs.transports) {
      const mountpointKey = JSON.stringify([m.device, t.protocol, mountaddr, m.mountPoint]);
      if (!seenMountpoints.has(mountpointKey)) {
        seenMountpoints.add(mountpointKey);
        out.add(mountpointInfo, 1, m.device, t.protocol, mountaddr, m.mountPoint);
      }
      // The same export mounted twice shares one set of counters: report it once.
      const deviceKey = JSON.stringify([m.device, t.protocol, mountaddr]);
      if (seenDevices.has(deviceKey)) {
        logger.debug('Skipping duplicate device entry', { device: m.device, protocol: t.protocol, mountaddr });
        break;
      }
      seenDevices.add(deviceKey);
      addDeviceStats(out, m.nfs, [m.device, t.protocol, mountaddr]);
    }
  });
}

/** NFS client per-mount statistics from <procfs>/self/mountstats. */
export const mountstats: CollectorDefinition = {
  name: 'mountstats',
  defaultEnabled: false,
  create({ paths, logger }) {
    const statsFile = paths.procFilePath('self/mountstats');
    const infoFile = paths.procFilePath('self/mountinfo');
    return { collect: (_ctx, out) => collectMountStats(out, statsFile, infoFile, logger) };
  },
};
