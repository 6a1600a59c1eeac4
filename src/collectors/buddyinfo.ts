import { newDesc, type CollectorDefinition } from '../collector.js';
import { parseBuddyinfo } from '../procfs/buddyinfo.js';
import { readAndParse } from '../read/files.js';

const blocksDesc = newDesc('node_buddyinfo_blocks', 'Free blocks of 2^size pages in each zone, from /proc/buddyinfo.', 'gauge', ['node', 'zone', 'size']);

export const buddyinfo: CollectorDefinition = {
  name: 'buddyinfo',
  defaultEnabled: false,
  create({ paths }) {
    const file = paths.procFilePath('buddyinfo');
    return {
      async collect(_ctx, out) {
        for (const z of await readAndParse(file, parseBuddyinfo)) {
          z.blocks.forEach((value, order) => out.add(blocksDesc, value, z.node, z.zone, String(order)));
        }
      },
    };
  },
};
