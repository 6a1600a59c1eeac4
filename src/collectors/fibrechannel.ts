import { readdir } from '../read/dir.js';
import { noDataIfMissing, readAttributes } from '../read/files.js';
import { type CollectorDefinition, type Desc, newDesc } from '../collector.js';
import { ParseError } from '../procfs/parse-error.js';
import { FC_HOST_ATTRIBUTES, FC_HOST_COUNTERS, parseFibreChannelHost, type FcHostCounter } from '../sysfs/fibrechannel.js';

const counter = (suffix: string, help: string): Desc => newDesc(`node_fibrechannel_${suffix}`, help, 'counter', ['fc_host']);
/** Counter file → node_fibrechannel_<name>, as upstream names them. */
const COUNTER_METRICS: Record<FcHostCounter, Desc> = {
  dumped_frames: counter('dumped_frames_total', 'Frames the host port dumped.'),
  error_frames: counter('error_frames_total', 'Frames received with errors.'),
  invalid_crc_count: counter('invalid_crc_total', 'Frames received with an invalid CRC.'),
  rx_frames: counter('rx_frames_total', 'Frames the host port received.'),
  rx_words: counter('rx_words_total', 'Words the host port received.'),
  tx_frames: counter('tx_frames_total', 'Frames the host port sent.'),
  tx_words: counter('tx_words_total', 'Words the host port sent.'),
  seconds_since_last_reset: counter('seconds_since_last_reset_total', 'Seconds since the host port statistics were last reset.'),
  invalid_tx_word_count: counter('invalid_tx_words_total', 'Invalid transmission words the host port saw.'),
  link_failure_count: counter('link_failure_total', 'Link failures of the host port.'),
  loss_of_sync_count: counter('loss_of_sync_total', 'Losses of bit or word synchronisation.'),
  loss_of_signal_count: counter('loss_of_signal_total', 'Losses of signal.'),
  nos_count: counter('nos_total', 'Not_Operational primitive sequences the host port received.'),
  fcp_packet_aborts: counter('fcp_packet_aborts_total', 'FCP packets aborted.'),
};

/** Info labels in upstream's order; each is named after the attribute it comes from. */
const INFO_LABELS: readonly (typeof FC_HOST_ATTRIBUTES)[number][] = [
  'speed',
  'port_state',
  'port_type',
  'port_id',
  'port_name',
  'fabric_name',
  'symbolic_name',
  'supported_classes',
  'supported_speeds',
  'dev_loss_tmo',
];
const info = newDesc('node_fibrechannel_info', 'Non-numeric attributes of a Fibre Channel host; the value is always 1.', 'gauge', ['fc_host', ...INFO_LABELS]);

/** Fibre Channel host adapters from <sysfs>/class/fc_host. */
export const fibrechannel: CollectorDefinition = {
  name: 'fibrechannel',
  defaultEnabled: true,
  create({ paths }) {
    const base = paths.sysFilePath('class/fc_host');
    return {
      async collect(_ctx, out) {
        const names = await readdir(base).catch(noDataIfMissing(base));
        const hosts = await Promise.all(
          names.sort().map(async (name) => {
            const dir = `${base}/${name}`;
            const [attributes, statistics] = await Promise.all([readAttributes(dir, FC_HOST_ATTRIBUTES), readAttributes(`${dir}/statistics`, FC_HOST_COUNTERS)]);
            try {
              return parseFibreChannelHost(name, attributes, statistics);
            } catch (err) {
              throw err instanceof ParseError ? err.withFile(`${dir}/${err.file ?? ''}`) : err;
            }
          }),
        );
        for (const host of hosts) {
          out.addv(info, 1, [host.name, ...INFO_LABELS.map((attr) => host.attributes.get(attr) ?? '')]);
          // Upstream reports a port in an unknown state with every counter at 0.
          const state = host.attributes.get('port_state');
          const unknown = state === undefined || state === 'Unknown';
          for (const c of FC_HOST_COUNTERS) {
            const value = unknown ? 0 : host.counters.get(c);
            if (value !== undefined) out.add(COUNTER_METRICS[c], value, host.name);
          }
        }
      },
    };
  },
};
