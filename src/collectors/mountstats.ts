import { family, type CollectorDefinition, type MetricFamily, type MetricType, type Sample } from '../collector.js';
import type { Logger } from '../logger.js';
import { parseMountInfo } from '../procfs/mountinfo.js';
import { NFS_BYTES_NAMES, NFS_EVENT_NAMES, parseMountStats, type NfsMountStats } from '../procfs/mountstats.js';
import { readProcFiles, withFileName } from '../procfs/read.js';

const PREFIX = 'node_mountstats_nfs_';
/** Upstream folds these counters modulo 2^53 (a float64's exact-integer range) before converting. */
const MANTISSA = 2n ** 53n;
const folded = (v: bigint): number => Number(v % MANTISSA);

/** bytes: counter → metric name suffix (upstream's names). */
const BYTES_METRICS: Record<(typeof NFS_BYTES_NAMES)[number], [string, string]> = {
  read: ['read_bytes_total', 'Bytes read through read().'],
  write: ['write_bytes_total', 'Bytes written through write().'],
  direct_read: ['direct_read_bytes_total', 'Bytes read through read() on O_DIRECT files.'],
  direct_write: ['direct_write_bytes_total', 'Bytes written through write() on O_DIRECT files.'],
  total_read: ['total_read_bytes_total', 'Bytes read from the NFS server in all.'],
  total_write: ['total_write_bytes_total', 'Bytes written to the NFS server in all.'],
  read_pages: ['read_pages_total', 'Pages read through mmap()ed files.'],
  write_pages: ['write_pages_total', 'Pages written through mmap()ed files.'],
};

type TransportField = 'bind' | 'connect' | 'sends' | 'receives' | 'badTransactionIds' | 'cumulativeBacklog'
  | 'maximumRpcSlotsUsed' | 'cumulativeSendingQueue' | 'cumulativePendingQueue';
const TRANSPORT_METRICS: [string, MetricType, TransportField | 'idle', string][] = [
  ['transport_bind_total', 'counter', 'bind', 'Times the client bound a new transport to the server.'],
  ['transport_connect_total', 'counter', 'connect', 'TCP connections the client made to the server.'],
  ['transport_idle_time_seconds', 'gauge', 'idle', 'Seconds since the transport last carried RPC traffic.'],
  ['transport_sends_total', 'counter', 'sends', 'RPC requests sent on the transport.'],
  ['transport_receives_total', 'counter', 'receives', 'RPC replies received on the transport.'],
  ['transport_bad_transaction_ids_total', 'counter', 'badTransactionIds', 'Replies whose transaction ID the client did not know.'],
  ['transport_backlog_queue_total', 'counter', 'cumulativeBacklog', 'Sum of the backlog queue length at each request.'],
  ['transport_maximum_rpc_slots', 'gauge', 'maximumRpcSlotsUsed', 'Most RPC slots ever in use at once.'],
  ['transport_sending_queue_total', 'counter', 'cumulativeSendingQueue', 'Sum of the sending queue length at each request.'],
  ['transport_pending_queue_total', 'counter', 'cumulativePendingQueue', 'Sum of the pending queue length at each request.'],
];

type OpField = 'requests' | 'transmissions' | 'majorTimeouts' | 'bytesSent' | 'bytesReceived';
type OpTime = 'queueMilliseconds' | 'responseMilliseconds' | 'requestMilliseconds';
const OPERATION_METRICS: [string, OpField | OpTime, string][] = [
  ['operations_requests_total', 'requests', 'Requests made, by NFS operation.'],
  ['operations_transmissions_total', 'transmissions', 'RPC transmissions (retries included), by NFS operation.'],
  ['operations_major_timeouts_total', 'majorTimeouts', 'Major timeouts, by NFS operation.'],
  ['operations_sent_bytes_total', 'bytesSent', 'Bytes sent (RPC headers and payload), by NFS operation.'],
  ['operations_received_bytes_total', 'bytesReceived', 'Bytes received (RPC headers and payload), by NFS operation.'],
  ['operations_queue_time_seconds_total', 'queueMilliseconds', 'Seconds requests waited to be sent, by NFS operation.'],
  ['operations_response_time_seconds_total', 'responseMilliseconds', 'Seconds from sending to the reply, by NFS operation.'],
  ['operations_request_time_seconds_total', 'requestMilliseconds', 'Seconds from queueing to completion, by NFS operation.'],
];

/** The value of `name=` in a comma-separated option list ("" when absent, as upstream's map lookup). */
function optionValue(options: string, name: string): string {
  for (const opt of options.split(',')) {
    const parts = opt.split('=');
    if (parts.length === 2 && parts[0] === name) return parts[1] ?? '';
  }
  return '';
}

class Families {
  private readonly byName = new Map<string, MetricFamily>();
  add(suffix: string, help: string, type: MetricType, sample: Sample): void {
    let f = this.byName.get(suffix);
    if (f === undefined) {
      f = family(`${PREFIX}${suffix}`, help, type);
      this.byName.set(suffix, f);
    }
    f.samples.push(sample);
  }
  all(): MetricFamily[] {
    return [...this.byName.values()];
  }
}

type DeviceLabels = { export: string; protocol: string; mountaddr: string };

function addDeviceStats(out: Families, s: NfsMountStats, labels: DeviceLabels): void {
  out.add('age_seconds_total', 'Seconds since the NFS mount was made.', 'counter', { labels, value: s.ageSeconds });
  for (const name of NFS_BYTES_NAMES) {
    const [suffix, help] = BYTES_METRICS[name];
    out.add(suffix, help, 'counter', { labels, value: s.bytes.get(name) ?? 0 });
  }
  s.transports.forEach((t, i) => {
    const tl = { ...labels, transport: String(i) };
    for (const [suffix, type, field, help] of TRANSPORT_METRICS) {
      out.add(suffix, help, type, { labels: tl, value: field === 'idle' ? folded(t.idleTimeSeconds) : t[field] });
    }
  });
  for (const op of s.operations) {
    const ol = { ...labels, operation: op.operation };
    for (const [suffix, field, help] of OPERATION_METRICS) {
      const v = op[field];
      out.add(suffix, help, 'counter', { labels: ol, value: typeof v === 'bigint' ? folded(v) / 1000 : v });
    }
  }
  for (const name of NFS_EVENT_NAMES) {
    if (name === 'congestion_wait') continue;
    out.add(`event_${name}_total`, `NFS client "${name.replaceAll('_', ' ')}" events.`, 'counter', { labels, value: s.events.get(name) ?? 0 });
  }
}

async function collectMountStats(statsFile: string, infoFile: string, logger: Logger): Promise<MetricFamily[]> {
  const [statsText = '', infoText = ''] = await readProcFiles([statsFile, infoFile]);
  if (statsText instanceof Error) throw statsText;
  if (infoText instanceof Error) throw infoText;
  const mounts = withFileName(statsFile, () => parseMountStats(statsText));
  const infos = withFileName(infoFile, () => parseMountInfo(infoText));
  const out = new Families();
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
        out.add('mountpoint_info', 'Information about an NFS mount point.', 'gauge', {
          labels: { export: m.device, protocol: t.protocol, mountaddr, mountpoint: m.mountPoint },
          value: 1,
        });
      }
      // The same export mounted twice shares one set of counters: report it once.
      const deviceKey = JSON.stringify([m.device, t.protocol, mountaddr]);
      if (seenDevices.has(deviceKey)) {
        logger.debug('Skipping duplicate device entry', { device: m.device, protocol: t.protocol, mountaddr });
        break;
      }
      seenDevices.add(deviceKey);
      addDeviceStats(out, m.nfs, { export: m.device, protocol: t.protocol, mountaddr });
    }
  });
  return out.all();
}

/** NFS client per-mount statistics from <procfs>/self/mountstats. */
export const mountstats: CollectorDefinition = {
  name: 'mountstats',
  defaultEnabled: false,
  create({ paths, logger }) {
    const statsFile = paths.procFilePath('self/mountstats');
    const infoFile = paths.procFilePath('self/mountinfo');
    return { collect: () => collectMountStats(statsFile, infoFile, logger) };
  },
};
