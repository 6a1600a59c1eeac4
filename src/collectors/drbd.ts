import { family, type CollectorDefinition, type MetricFamily, type MetricType } from '../collector.js';
import { parseDrbd, type DrbdNumericKey } from '../procfs/drbd.js';
import { noDataIfMissing, readAndParse } from '../procfs/read.js';

/** key → metric suffix, type, multiplier (the kernel counts these sizes in KiB), help. */
const NUMERIC: Record<DrbdNumericKey, [string, MetricType, number, string]> = {
  ns: ['network_sent_bytes_total', 'counter', 1024, 'Bytes sent to the peer over the network.'],
  nr: ['network_received_bytes_total', 'counter', 1, 'Bytes received from the peer over the network.'],
  dw: ['disk_written_bytes_total', 'counter', 1024, 'Bytes written to the local disk.'],
  dr: ['disk_read_bytes_total', 'counter', 1024, 'Bytes read from the local disk.'],
  al: ['activitylog_writes_total', 'counter', 1, 'Writes to the activity log area of the metadata.'],
  bm: ['bitmap_writes_total', 'counter', 1, 'Writes to the bitmap area of the metadata.'],
  lo: ['local_pending', 'gauge', 1, 'Requests open to the local I/O subsystem.'],
  pe: ['remote_pending', 'gauge', 1, 'Requests sent to the peer and not yet answered.'],
  ua: ['remote_unacknowledged', 'gauge', 1, 'Requests received from the peer and not yet answered.'],
  ap: ['application_pending', 'gauge', 1, 'Block I/O requests handed to DRBD and not yet answered.'],
  ep: ['epochs', 'gauge', 1, 'Epochs in flight.'],
  oos: ['out_of_sync_bytes', 'gauge', 1024, 'Bytes known to be out of sync with the peer.'],
};

/** DRBD 8 replicated block devices from <procfs>/drbd. */
export const drbd: CollectorDefinition = {
  name: 'drbd',
  defaultEnabled: false,
  create({ paths }) {
    const file = paths.procFilePath('drbd');
    return {
      async collect(): Promise<MetricFamily[]> {
        const devices = await readAndParse(file, parseDrbd).catch(noDataIfMissing(file));
        const numeric = new Map<DrbdNumericKey, MetricFamily>();
        const primary = family('node_drbd_node_role_is_primary', 'Whether the node (local or remote) has the primary role.', 'gauge');
        const upToDate = family('node_drbd_disk_state_is_up_to_date', 'Whether the disk of the node (local or remote) is up to date.', 'gauge');
        const connected = family('node_drbd_connected', 'Whether DRBD is connected to the peer.', 'gauge');
        for (const d of devices) {
          for (const [key, value] of d.numbers) {
            const [suffix, type, multiplier, help] = NUMERIC[key];
            let f = numeric.get(key);
            if (f === undefined) numeric.set(key, (f = family(`node_drbd_${suffix}`, help, type)));
            f.samples.push({ labels: { device: d.name }, value: value * multiplier });
          }
          for (const [f, pair, ok] of [[primary, d.roles, 'Primary'], [upToDate, d.diskStates, 'UpToDate']] as const) {
            if (pair === undefined) continue;
            f.samples.push({ labels: { device: d.name, node: 'local' }, value: pair[0] === ok ? 1 : 0 });
            f.samples.push({ labels: { device: d.name, node: 'remote' }, value: pair[1] === ok ? 1 : 0 });
          }
          if (d.connectionState !== undefined) {
            connected.samples.push({ labels: { device: d.name }, value: d.connectionState === 'Connected' ? 1 : 0 });
          }
        }
        return [...numeric.values(), primary, upToDate, connected].filter((f) => f.samples.length > 0);
      },
    };
  },
};
