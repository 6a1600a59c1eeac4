import { booleanOption, family, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { compileRegexp } from '../config.js';
import { DeviceFilter } from '../device-filter.js';
import { parseArp } from '../procfs/net-arp.js';
import { Paths } from '../paths.js';
import { readAndParse } from '../procfs/read.js';

const A = 'collector.arp';

export const arp: CollectorDefinition = {
  name: 'arp',
  defaultEnabled: true,
  options: [
    { flag: `${A}.device-include`, help: 'Count ARP entries only of devices matching this regexp.' },
    { flag: `${A}.device-exclude`, help: 'Skip ARP entries of devices matching this regexp (applied before device-include).' },
    { flag: `${A}.netlink`, help: 'Count the neighbours of the exporter\'s own network namespace, as upstream\'s netlink mode does, instead of <procfs>/net/arp (default: true).', boolean: true },
  ],
  create({ paths, options }) {
    const pattern = (flag: string) => {
      const v = options.get(`${A}.${flag}`);
      return typeof v === 'string' && v !== '' ? compileRegexp(v, `${A}.${flag}`) : undefined;
    };
    // Unlike most collectors, upstream accepts both patterns at once here: exclude, then include.
    const filter = new DeviceFilter(pattern('device-exclude'), pattern('device-include'));
    const netlink = booleanOption(options, `${A}.netlink`, true);
    // Upstream's netlink mode asks the kernel about the exporter's own network namespace,
    // whatever --path.procfs says. The kernel's /proc/self/net/arp lists the same IPv4
    // neighbours (NOARP entries left out of both), so read that until the addon speaks netlink.
    const file = netlink ? new Paths().procFilePath('self/net/arp') : paths.procFilePath('net/arp');
    return {
      async collect(): Promise<MetricFamily[]> {
        const counts = new Map<string, number>();
        for (const entry of await readAndParse(file, parseArp)) {
          counts.set(entry.device, (counts.get(entry.device) ?? 0) + 1);
        }
        const samples = [...counts].filter(([device]) => !filter.ignored(device)).map(([device, value]) => ({ labels: { device }, value }));
        return [family('node_arp_entries', 'Entries in the ARP table, by device.', 'gauge', samples)];
      },
    };
  },
};
