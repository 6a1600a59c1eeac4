import { newDesc, type CollectorDefinition, type Desc } from '../collector.js';
import { readAndParse } from '../read/files.js';
import { parseSoftnet, type SoftnetCpu } from '../procfs/softnet.js';

const FIELDS: readonly [Desc, (r: SoftnetCpu) => number][] = [
  [newDesc('node_softnet_processed_total', 'Packets this CPU took off its backlog and processed.', 'counter', ['cpu']), (r) => r.processed],
  [newDesc('node_softnet_dropped_total', "Packets dropped because this CPU's backlog was full.", 'counter', ['cpu']), (r) => r.dropped],
  [newDesc('node_softnet_times_squeezed_total', 'Times the NET_RX softirq ran out of budget or time with work left.', 'counter', ['cpu']), (r) => r.timeSqueezed],
  [newDesc('node_softnet_cpu_collision_total', 'Times this CPU found a device transmit lock already taken.', 'counter', ['cpu']), (r) => r.cpuCollision],
  [newDesc('node_softnet_received_rps_total', 'Times this CPU was woken by another to process packets (RPS).', 'counter', ['cpu']), (r) => r.receivedRps],
  [newDesc('node_softnet_flow_limit_count_total', 'Packets dropped by the per-flow backlog limit.', 'counter', ['cpu']), (r) => r.flowLimitCount],
  [newDesc('node_softnet_backlog_len', "Packets waiting in this CPU's backlog now.", 'gauge', ['cpu']), (r) => r.backlogLen],
];

export const softnet: CollectorDefinition = {
  name: 'softnet',
  defaultEnabled: true,
  create({ paths }) {
    const file = paths.procFilePath('net/softnet_stat');
    return {
      async collect(_ctx, out) {
        for (const r of await readAndParse(file, parseSoftnet)) {
          const cpu = String(r.cpu);
          for (const [desc, value] of FIELDS) out.add(desc, value(r), cpu);
        }
      },
    };
  },
};
