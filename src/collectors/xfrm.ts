import { newDesc, type CollectorDefinition } from '../collector.js';
import { readAndParse } from '../read/files.js';
import { parseXfrmStat, XFRM_COUNTERS } from '../procfs/net-xfrm.js';

/** "XfrmInStateProtoError" → "node_xfrm_in_state_proto_error_packets_total", upstream's names. */
export function xfrmMetricName(counter: string): string {
  const snake = counter.replace(/^Xfrm/, '').replace(/[A-Z]/g, (c, at: number) => `${at === 0 ? '' : '_'}${c.toLowerCase()}`);
  return `node_xfrm_${snake}_packets_total`;
}

const COUNTERS = XFRM_COUNTERS.map(
  (counter) => [counter, newDesc(xfrmMetricName(counter), `IPsec (XFRM) packets counted as ${counter} in /proc/net/xfrm_stat.`, 'counter')] as const,
);

export const xfrm: CollectorDefinition = {
  name: 'xfrm',
  defaultEnabled: false,
  create({ paths }) {
    const file = paths.procFilePath('net/xfrm_stat');
    return {
      async collect(_ctx, out) {
        const stat = await readAndParse(file, parseXfrmStat);
        for (const [counter, desc] of COUNTERS) out.add(desc, stat.get(counter) ?? 0);
      },
    };
  },
};
