import { family, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { readAndParse } from '../procfs/read.js';
import { parseSoftnet, type SoftnetCpu } from '../procfs/softnet.js';

const FIELDS: readonly [keyof SoftnetCpu, string, 'counter' | 'gauge', string][] = [
  ['processed', 'node_softnet_processed_total', 'counter', 'Packets this CPU took off its backlog and processed.'],
  ['dropped', 'node_softnet_dropped_total', 'counter', 'Packets dropped because this CPU\'s backlog was full.'],
  ['timeSqueezed', 'node_softnet_times_squeezed_total', 'counter', 'Times the NET_RX softirq ran out of budget or time with work left.'],
  ['cpuCollision', 'node_softnet_cpu_collision_total', 'counter', 'Times this CPU found a device transmit lock already taken.'],
  ['receivedRps', 'node_softnet_received_rps_total', 'counter', 'Times this CPU was woken by another to process packets (RPS).'],
  ['flowLimitCount', 'node_softnet_flow_limit_count_total', 'counter', 'Packets dropped by the per-flow backlog limit.'],
  ['backlogLen', 'node_softnet_backlog_len', 'gauge', 'Packets waiting in this CPU\'s backlog now.'],
];

export const softnet: CollectorDefinition = {
  name: 'softnet',
  defaultEnabled: true,
  create({ paths }) {
    const file = paths.procFilePath('net/softnet_stat');
    return {
      async collect(): Promise<MetricFamily[]> {
        const rows = await readAndParse(file, parseSoftnet);
        return FIELDS.map(([field, name, type, help]) =>
          family(name, help, type, rows.map((r) => ({ labels: { cpu: String(r.cpu) }, value: r[field] }))));
      },
    };
  },
};
