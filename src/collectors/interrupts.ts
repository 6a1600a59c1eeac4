import { booleanOption, newDesc, type CollectorDefinition } from '../collector.js';
import { filterFromFlags } from '../device-filter.js';
import { parseInterrupts } from '../procfs/interrupts.js';
import { readAndParse } from '../read/files.js';

const F = 'collector.interrupts';

const interruptsDesc = newDesc('node_interrupts_total', 'Interrupts each CPU handled since boot, per source, from /proc/interrupts.', 'counter', [
  'cpu',
  'type',
  'info',
  'devices',
]);

export const interrupts: CollectorDefinition = {
  name: 'interrupts',
  defaultEnabled: false,
  options: [
    { flag: `${F}.name-include`, help: 'Regexp of interrupts to export, matched against "name;info;devices" (mutually exclusive with --collector.interrupts.name-exclude).' },
    { flag: `${F}.name-exclude`, help: 'Regexp of interrupts to leave out, matched against "name;info;devices" (mutually exclusive with --collector.interrupts.name-include).' },
    { flag: `${F}.include-zeros`, help: 'Also export per-CPU counts that are zero (default: true).', boolean: true, defaultValue: 'true' },
  ],
  create({ paths, logger, options, explicit }) {
    const file = paths.procFilePath('interrupts');
    const filter = filterFromFlags({ include: `${F}.name-include`, exclude: `${F}.name-exclude` }, options, explicit, logger);
    const includeZeros = booleanOption(options, `${F}.include-zeros`, true);
    return {
      async collect(_ctx, out) {
        for (const row of await readAndParse(file, parseInterrupts)) {
          if (filter.ignored(`${row.name};${row.info};${row.devices}`)) continue;
          row.counts.forEach((value, cpu) => {
            if (value === 0 && !includeZeros) return;
            out.add(interruptsDesc, value, String(cpu), row.name, row.info, row.devices);
          });
        }
      },
    };
  },
};
