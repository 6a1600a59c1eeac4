import { booleanOption, newDesc, type CollectorDefinition } from '../collector.js';
import { compileRegexp } from '../config.js';
import { DeviceFilter } from '../device-filter.js';
import { AF_INET, dumpLinks, dumpNeighbours, NUD_NOARP } from '../netlink/route.js';
import { parseArp } from '../procfs/net-arp.js';
import { readAndParse } from '../read/files.js';

const entries = newDesc('node_arp_entries', 'Entries in the ARP table, by device.', 'gauge', ['device']);

/** Upstream's netlink mode: the IPv4 neighbours of the exporter's own network namespace, NOARP ones left out. */
async function countNeighbours(): Promise<Map<string, number>> {
  const [names, neighbours] = await Promise.all([dumpLinks(), dumpNeighbours(AF_INET)]);
  const counts = new Map<string, number>();
  for (const n of neighbours) {
    if ((n.state & NUD_NOARP) !== 0) continue;
    // A device gone between the two dumps: its entries go with it.
    const device = names.get(n.ifindex);
    if (device !== undefined) counts.set(device, (counts.get(device) ?? 0) + 1);
  }
  return counts;
}

async function countArpFile(file: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const entry of await readAndParse(file, parseArp)) {
    counts.set(entry.device, (counts.get(entry.device) ?? 0) + 1);
  }
  return counts;
}

const A = 'collector.arp';

export const arp: CollectorDefinition = {
  name: 'arp',
  defaultEnabled: true,
  options: [
    { flag: `${A}.device-include`, help: 'Count ARP entries only of devices matching this regexp.' },
    { flag: `${A}.device-exclude`, help: 'Skip ARP entries of devices matching this regexp (applied before device-include).' },
    {
      flag: `${A}.netlink`,
      help: "Count the IPv4 neighbours of the exporter's own network namespace over netlink instead of reading <procfs>/net/arp (default: true).",
      boolean: true,
    },
  ],
  create({ paths, options }) {
    const pattern = (flag: string) => {
      const v = options.get(`${A}.${flag}`);
      return typeof v === 'string' && v !== '' ? compileRegexp(v, `${A}.${flag}`) : undefined;
    };
    // Unlike most collectors, upstream accepts both patterns at once here: exclude, then include.
    const filter = new DeviceFilter(pattern('device-exclude'), pattern('device-include'));
    const netlink = booleanOption(options, `${A}.netlink`, true);
    // Netlink mode asks the kernel about the exporter's own network namespace, whatever
    // --path.procfs says, as upstream does.
    const file = paths.procFilePath('net/arp');
    return {
      async collect(_ctx, out) {
        const counts = netlink ? await countNeighbours() : await countArpFile(file);
        for (const [device, n] of counts) if (!filter.ignored(device)) out.add(entries, n, device);
      },
    };
  },
};
