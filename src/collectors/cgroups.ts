import { family, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { parseCgroups } from '../procfs/cgroups.js';
import { readAndParse } from '../procfs/read.js';

export const cgroups: CollectorDefinition = {
  name: 'cgroups',
  defaultEnabled: false,
  create({ paths }) {
    const file = paths.procFilePath('cgroups');
    return {
      async collect(): Promise<MetricFamily[]> {
        const controllers = await readAndParse(file, parseCgroups);
        const count = family('node_cgroups_cgroups', 'Control groups using the controller (subsystem) in its hierarchy.', 'gauge');
        // node_exporter's name; the value is the controller's enabled flag (1 or 0).
        const enabled = family('node_cgroups_enabled', 'Whether the controller (subsystem) is enabled: 1 or 0.', 'gauge');
        for (const c of controllers) {
          count.samples.push({ labels: { subsys_name: c.subsysName }, value: c.cgroups });
          enabled.samples.push({ labels: { subsys_name: c.subsysName }, value: c.enabled });
        }
        return [count, enabled];
      },
    };
  },
};
