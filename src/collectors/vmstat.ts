import { FieldDescs, newDesc, type CollectorDefinition } from '../collector.js';
import { cachedMatcher, compileRegexp } from '../config.js';
import { readAndParse } from '../read/files.js';
import { parseVmstat } from '../procfs/vmstat.js';

const FIELDS_FLAG = 'collector.vmstat.fields';

export const vmstat: CollectorDefinition = {
  name: 'vmstat',
  defaultEnabled: true,
  options: [
    {
      flag: FIELDS_FLAG,
      help: 'Regexp of /proc/vmstat fields to export.',
      defaultValue: '^(oom_kill|pgpg|pswp|pg.*fault).*',
    },
  ],
  create({ paths, options }) {
    const raw = options.get(FIELDS_FLAG);
    const wanted = cachedMatcher(compileRegexp(typeof raw === 'string' ? raw : '', FIELDS_FLAG));
    const file = paths.procFilePath('vmstat');
    // One family per selected kernel field. Untyped as upstream: some fields are counters,
    // some gauges, and it does not sort them.
    const descs = new FieldDescs((name) => (wanted(name) ? newDesc(`node_vmstat_${name}`, `Field ${name} of /proc/vmstat.`, 'untyped') : null));
    return {
      async collect(_ctx, out) {
        const stats = await readAndParse(file, parseVmstat);
        for (const [name, value] of stats) {
          const desc = descs.get(name);
          if (desc !== null) out.add(desc, value);
        }
      },
    };
  },
};
