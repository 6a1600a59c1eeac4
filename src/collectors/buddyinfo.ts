import { family, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { parseBuddyinfo } from '../procfs/buddyinfo.js';
import { readAndParse } from '../procfs/read.js';

export const buddyinfo: CollectorDefinition = {
  name: 'buddyinfo',
  defaultEnabled: false,
  create({ paths }) {
    const file = paths.procFilePath('buddyinfo');
    return {
      async collect(): Promise<MetricFamily[]> {
        const zones = await readAndParse(file, parseBuddyinfo);
        const blocks = family('node_buddyinfo_blocks', 'Free blocks of 2^size pages in each zone, from /proc/buddyinfo.', 'gauge');
        for (const z of zones) {
          z.blocks.forEach((value, order) => blocks.samples.push({ labels: { node: z.node, zone: z.zone, size: String(order) }, value }));
        }
        return [blocks];
      },
    };
  },
};
