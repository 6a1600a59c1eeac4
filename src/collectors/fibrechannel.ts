import { readdir } from '../procfs/dir.js';
import { noDataIfMissing, readAttributes } from '../procfs/read.js';
import { family, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { ParseError } from '../procfs/parse-error.js';
import { FC_HOST_ATTRIBUTES, FC_HOST_COUNTERS, parseFibreChannelHost, type FcHostCounter } from '../sysfs/fibrechannel.js';

/** Counter file → node_fibrechannel_<name>, as upstream names them. */
const COUNTER_METRICS: Record<FcHostCounter, [string, string]> = {
  dumped_frames: ['dumped_frames_total', 'Frames the host port dumped.'],
  error_frames: ['error_frames_total', 'Frames received with errors.'],
  invalid_crc_count: ['invalid_crc_total', 'Frames received with an invalid CRC.'],
  rx_frames: ['rx_frames_total', 'Frames the host port received.'],
  rx_words: ['rx_words_total', 'Words the host port received.'],
  tx_frames: ['tx_frames_total', 'Frames the host port sent.'],
  tx_words: ['tx_words_total', 'Words the host port sent.'],
  seconds_since_last_reset: ['seconds_since_last_reset_total', 'Seconds since the host port statistics were last reset.'],
  invalid_tx_word_count: ['invalid_tx_words_total', 'Invalid transmission words the host port saw.'],
  link_failure_count: ['link_failure_total', 'Link failures of the host port.'],
  loss_of_sync_count: ['loss_of_sync_total', 'Losses of bit or word synchronisation.'],
  loss_of_signal_count: ['loss_of_signal_total', 'Losses of signal.'],
  nos_count: ['nos_total', 'Not_Operational primitive sequences the host port received.'],
  fcp_packet_aborts: ['fcp_packet_aborts_total', 'FCP packets aborted.'],
};

/** Info labels in upstream's order, with the attribute each comes from. */
const INFO_LABELS: [string, (typeof FC_HOST_ATTRIBUTES)[number]][] = [
  ['speed', 'speed'], ['port_state', 'port_state'], ['port_type', 'port_type'], ['port_id', 'port_id'],
  ['port_name', 'port_name'], ['fabric_name', 'fabric_name'], ['symbolic_name', 'symbolic_name'],
  ['supported_classes', 'supported_classes'], ['supported_speeds', 'supported_speeds'], ['dev_loss_tmo', 'dev_loss_tmo'],
];

/** Fibre Channel host adapters from <sysfs>/class/fc_host. */
export const fibrechannel: CollectorDefinition = {
  name: 'fibrechannel',
  defaultEnabled: true,
  create({ paths }) {
    const base = paths.sysFilePath('class/fc_host');
    return {
      async collect(): Promise<MetricFamily[]> {
        const names = await readdir(base).catch(noDataIfMissing(base));
        const hosts = await Promise.all(names.sort().map(async (name) => {
          const dir = `${base}/${name}`;
          const [attributes, statistics] = await Promise.all([
            readAttributes(dir, FC_HOST_ATTRIBUTES),
            readAttributes(`${dir}/statistics`, FC_HOST_COUNTERS),
          ]);
          try {
            return parseFibreChannelHost(name, attributes, statistics);
          } catch (err) {
            throw err instanceof ParseError ? err.withFile(`${dir}/${err.file ?? ''}`) : err;
          }
        }));
        const info = family('node_fibrechannel_info', 'Non-numeric attributes of a Fibre Channel host; the value is always 1.', 'gauge');
        const counters = new Map<FcHostCounter, MetricFamily>();
        for (const counter of FC_HOST_COUNTERS) {
          const [suffix, help] = COUNTER_METRICS[counter];
          counters.set(counter, family(`node_fibrechannel_${suffix}`, help, 'counter'));
        }
        for (const host of hosts) {
          const labels: Record<string, string> = { fc_host: host.name };
          for (const [label, attr] of INFO_LABELS) labels[label] = host.attributes.get(attr) ?? '';
          info.samples.push({ labels, value: 1 });
          // Upstream reports a port in an unknown state with every counter at 0.
          const state = host.attributes.get('port_state');
          const unknown = state === undefined || state === 'Unknown';
          for (const counter of FC_HOST_COUNTERS) {
            const value = unknown ? 0 : host.counters.get(counter);
            if (value !== undefined) counters.get(counter)?.samples.push({ labels: { fc_host: host.name }, value });
          }
        }
        return [info, ...counters.values()].filter((f) => f.samples.length > 0);
      },
    };
  },
};
