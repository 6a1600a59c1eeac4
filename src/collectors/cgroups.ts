import { newDesc, type CollectorDefinition } from '../collector.js';
import { parseCgroups } from '../procfs/cgroups.js';
import { readAndParse } from '../read/files.js';

const count = newDesc('node_cgroups_cgroups', 'Control groups using the controller (subsystem) in its hierarchy.', 'gauge', ['subsys_name']);
// node_exporter's name; the value is the controller's enabled flag (1 or 0).
const enabled = newDesc('node_cgroups_enabled', 'Whether the controller (subsystem) is enabled: 1 or 0.', 'gauge', ['subsys_name']);

export const cgroups: CollectorDefinition = {
  name: 'cgroups',
  defaultEnabled: false,
  create({ paths }) {
    const file = paths.procFilePath('cgroups');
    return {
      async collect(_ctx, out) {
        for (const c of await readAndParse(file, parseCgroups)) {
          out.add(count, c.cgroups, c.subsysName);
          out.add(enabled, c.enabled, c.subsysName);
        }
      },
    };
  },
};
