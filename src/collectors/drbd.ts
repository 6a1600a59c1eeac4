import { newDesc, type CollectorDefinition, type Desc, type MetricType } from '../collector.js';
import { parseDrbd, type DrbdNumericKey } from '../procfs/drbd.js';
import { noDataIfMissing, readAndParse } from '../read/files.js';

const perDevice = (suffix: string, type: MetricType, help: string): Desc => newDesc(`node_drbd_${suffix}`, help, type, ['device']);

/** key → [Desc, multiplier] (the kernel counts these sizes in KiB). */
const NUMERIC: Record<DrbdNumericKey, readonly [Desc, number]> = {
  ns: [perDevice('network_sent_bytes_total', 'counter', 'Bytes sent to the peer over the network.'), 1024],
  nr: [perDevice('network_received_bytes_total', 'counter', 'Bytes received from the peer over the network.'), 1],
  dw: [perDevice('disk_written_bytes_total', 'counter', 'Bytes written to the local disk.'), 1024],
  dr: [perDevice('disk_read_bytes_total', 'counter', 'Bytes read from the local disk.'), 1024],
  al: [perDevice('activitylog_writes_total', 'counter', 'Writes to the activity log area of the metadata.'), 1],
  bm: [perDevice('bitmap_writes_total', 'counter', 'Writes to the bitmap area of the metadata.'), 1],
  lo: [perDevice('local_pending', 'gauge', 'Requests open to the local I/O subsystem.'), 1],
  pe: [perDevice('remote_pending', 'gauge', 'Requests sent to the peer and not yet answered.'), 1],
  ua: [perDevice('remote_unacknowledged', 'gauge', 'Requests received from the peer and not yet answered.'), 1],
  ap: [perDevice('application_pending', 'gauge', 'Block I/O requests handed to DRBD and not yet answered.'), 1],
  ep: [perDevice('epochs', 'gauge', 'Epochs in flight.'), 1],
  oos: [perDevice('out_of_sync_bytes', 'gauge', 'Bytes known to be out of sync with the peer.'), 1024],
};

const NODE = ['device', 'node'];
const primary = newDesc('node_drbd_node_role_is_primary', 'Whether the node (local or remote) has the primary role.', 'gauge', NODE);
const upToDate = newDesc('node_drbd_disk_state_is_up_to_date', 'Whether the disk of the node (local or remote) is up to date.', 'gauge', NODE);
const connected = newDesc('node_drbd_connected', 'Whether DRBD is connected to the peer.', 'gauge', ['device']);

/** DRBD 8 replicated block devices from <procfs>/drbd. */
export const drbd: CollectorDefinition = {
  name: 'drbd',
  defaultEnabled: false,
  create({ paths }) {
    const file = paths.procFilePath('drbd');
    return {
      async collect(_ctx, out) {
        const devices = await readAndParse(file, parseDrbd).catch(noDataIfMissing(file));
        for (const dev of devices) {
          for (const [key, value] of dev.numbers) {
            const [desc, multiplier] = NUMERIC[key];
            out.add(desc, value * multiplier, dev.name);
          }
          for (const [desc, pair, ok] of [
            [primary, dev.roles, 'Primary'],
            [upToDate, dev.diskStates, 'UpToDate'],
          ] as const) {
            if (pair === undefined) continue;
            out.add(desc, pair[0] === ok ? 1 : 0, dev.name, 'local');
            out.add(desc, pair[1] === ok ? 1 : 0, dev.name, 'remote');
          }
          if (dev.connectionState !== undefined) out.add(connected, dev.connectionState === 'Connected' ? 1 : 0, dev.name);
        }
      },
    };
  },
};
