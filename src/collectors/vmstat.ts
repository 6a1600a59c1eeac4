import { FieldDescs, newDesc, type CollectorDefinition } from '../collector.js';
import { cachedMatcher, compileRegexp } from '../config.js';
import { readAndParse } from '../read/files.js';
import { NameRounds } from '../procfs/name-value.js';
import { eachVmstat } from '../procfs/vmstat.js';

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
    // Pairs go straight to the sink as they are parsed: no map of the ~180 fields per scrape.
    const names = new NameRounds();
    return {
      async collect(_ctx, out) {
        await readAndParse(file, (text) =>
          eachVmstat(text, names, (name, value) => {
            const desc = descs.get(name);
            if (desc !== null) out.add(desc, value);
          }),
        );
      },
    };
  },
};
