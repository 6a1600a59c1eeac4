import { family, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { readAndParse } from '../procfs/read.js';
import { parseXfrmStat, XFRM_COUNTERS } from '../procfs/net-xfrm.js';

/** "XfrmInStateProtoError" → "node_xfrm_in_state_proto_error_packets_total", upstream's names. */
export function xfrmMetricName(counter: string): string {
  const snake = counter.replace(/^Xfrm/, '').replace(/[A-Z]/g, (c, at: number) => `${at === 0 ? '' : '_'}${c.toLowerCase()}`);
  return `node_xfrm_${snake}_packets_total`;
}

export const xfrm: CollectorDefinition = {
  name: 'xfrm',
  defaultEnabled: false,
  create({ paths }) {
    const file = paths.procFilePath('net/xfrm_stat');
    return {
      async collect(): Promise<MetricFamily[]> {
        const stat = await readAndParse(file, parseXfrmStat);
        return XFRM_COUNTERS.map((counter) =>
          family(xfrmMetricName(counter), `IPsec (XFRM) packets counted as ${counter} in /proc/net/xfrm_stat.`, 'counter', [
            { labels: {}, value: stat.get(counter) ?? 0 },
          ]),
        );
      },
    };
  },
};
