import { readdir } from '../read/dir.js';
import { newDesc, type CollectorDefinition } from '../collector.js';
import { ifMissing, readAndParse } from '../read/files.js';
import { parseVulnerability } from '../sysfs/cpu-vulnerabilities.js';

const infoDesc = newDesc(
  'node_cpu_vulnerabilities_info',
  'CPU vulnerabilities the kernel knows of, from /sys/devices/system/cpu/vulnerabilities: state and mitigation in labels, value always 1.',
  'gauge',
  ['codename', 'state', 'mitigation'],
);

export const cpuVulnerabilities: CollectorDefinition = {
  name: 'cpu_vulnerabilities',
  defaultEnabled: false,
  create({ paths }) {
    const dir = paths.sysFilePath('devices/system/cpu/vulnerabilities');
    return {
      async collect(_ctx, out) {
        // Kernels before 4.15 have no such directory: nothing to report, and no failure.
        const names = await readdir(dir).catch(ifMissing([] as string[]));
        const found = await Promise.all(names.map(async (codename) => ({ codename, ...(await readAndParse(`${dir}/${codename}`, parseVulnerability)) })));
        for (const v of found) out.add(infoDesc, 1, v.codename, v.state, v.mitigation);
      },
    };
  },
};
