import { readdir } from '../read/dir.js';
import path from 'node:path';
import { type CollectorDefinition, type Desc, DescTable, newDesc } from '../collector.js';
import { compileRegexp } from '../config.js';
import { ParseError } from '../procfs/parse-error.js';
import { readProcFiles } from '../read/files.js';
import { listOrNoData } from '../read/sysfs-class.js';
import { parsePowerSupply, POWER_SUPPLY_STRINGS, type PowerSupply } from '../sysfs/power-supply.js';
import { errnoIn } from '../errno.js';

const IGNORED_FLAG = 'collector.powersupply.ignored-supplies';
/** Attributes some drivers list but cannot answer; procfs skips these errors (and fails on others, EINVAL included). */
const SKIPPED_READ_ERRORS = new Set(['ENOENT', 'EOPNOTSUPP', 'ENODEV']);

const same = (v: number): number => v;
const micro = (v: number): number => v / 1e6;
const tenths = (v: number): number => v / 10.0;

/** [metric suffix, attribute file, conversion to the metric's unit]. */
const ATTRIBUTES: readonly (readonly [string, string, (v: number) => number])[] = [
  ...(
    [
      ['authentic', 'authentic'],
      ['calibrate', 'calibrate'],
      ['capacity', 'capacity'],
      ['capacity_alert_max', 'capacity_alert_max'],
      ['capacity_alert_min', 'capacity_alert_min'],
      ['cyclecount', 'cycle_count'],
      ['online', 'online'],
      ['present', 'present'],
      ['time_to_empty_seconds', 'time_to_empty_now'],
      ['time_to_full_seconds', 'time_to_full_now'],
    ] as const
  ).map(([m, f]) => [m, f, same] as const),
  ...(
    [
      ['current_boot', 'current_boot'],
      ['current_max', 'current_max'],
      ['current_ampere', 'current_now'],
      ['energy_empty', 'energy_empty'],
      ['energy_empty_design', 'energy_empty_design'],
      ['energy_full', 'energy_full'],
      ['energy_full_design', 'energy_full_design'],
      ['energy_watthour', 'energy_now'],
      ['voltage_boot', 'voltage_boot'],
      ['voltage_max', 'voltage_max'],
      ['voltage_max_design', 'voltage_max_design'],
      ['voltage_min', 'voltage_min'],
      ['voltage_min_design', 'voltage_min_design'],
      ['voltage_volt', 'voltage_now'],
      ['voltage_ocv', 'voltage_ocv'],
      ['charge_control_limit', 'charge_control_limit'],
      ['charge_control_limit_max', 'charge_control_limit_max'],
      ['charge_counter', 'charge_counter'],
      ['charge_empty', 'charge_empty'],
      ['charge_empty_design', 'charge_empty_design'],
      ['charge_full', 'charge_full'],
      ['charge_full_design', 'charge_full_design'],
      ['charge_ampere', 'charge_now'],
      ['charge_term_current', 'charge_term_current'],
      ['constant_charge_current', 'constant_charge_current'],
      ['constant_charge_current_max', 'constant_charge_current_max'],
      ['constant_charge_voltage', 'constant_charge_voltage'],
      ['constant_charge_voltage_max', 'constant_charge_voltage_max'],
      ['precharge_current', 'precharge_current'],
      ['input_current_limit', 'input_current_limit'],
      ['power_watt', 'power_now'],
    ] as const
  ).map(([m, f]) => [m, f, micro] as const),
  ...(
    [
      ['temp_celsius', 'temp'],
      ['temp_alert_max_celsius', 'temp_alert_max'],
      ['temp_alert_min_celsius', 'temp_alert_min'],
      ['temp_ambient_celsius', 'temp_ambient'],
      ['temp_ambient_max_celsius', 'temp_ambient_max'],
      ['temp_ambient_min_celsius', 'temp_ambient_min'],
      ['temp_max_celsius', 'temp_max'],
      ['temp_min_celsius', 'temp_min'],
    ] as const
  ).map(([m, f]) => [m, f, tenths] as const),
];

/** [Desc, attribute file, conversion] per numeric attribute. */
const METRICS: readonly (readonly [Desc, string, (v: number) => number])[] = ATTRIBUTES.map(([m, file, convert]) => [
  newDesc(`node_power_supply_${m}`, `Power supply ${file} attribute, in base units.`, 'gauge', ['power_supply']),
  file,
  convert,
]);
const INFO_HELP = 'Power supply identity and state (text attributes as labels); value is always 1.';

/** Every regular file of the supply's directory, read in one batch. */
async function readSupply(dir: string): Promise<PowerSupply> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  const texts = await readProcFiles(names.map((n) => path.join(dir, n)));
  const files: [string, string][] = [];
  names.forEach((n, i) => {
    const t = texts[i];
    if (typeof t === 'string') files.push([n, t]);
    else if (t !== undefined && !errnoIn(t, SKIPPED_READ_ERRORS)) throw t;
  });
  try {
    return parsePowerSupply(files);
  } catch (err) {
    throw err instanceof ParseError ? err.withFile(dir) : err;
  }
}

export const powersupplyclass: CollectorDefinition = {
  name: 'powersupplyclass',
  defaultEnabled: true,
  options: [{ flag: IGNORED_FLAG, help: 'Regexp of power supplies to leave out.', defaultValue: '^$' }],
  create({ paths, options }) {
    const base = paths.sysFilePath('class/power_supply');
    const raw = options.get(IGNORED_FLAG);
    const ignored = compileRegexp(typeof raw === 'string' ? raw : '^$', IGNORED_FLAG);
    // node_power_supply_info's label names are the text attributes each supply has.
    const infoDescs = new DescTable();
    return {
      async collect(_ctx, out) {
        infoDescs.nextRound();
        const names = await listOrNoData(base);
        const supplies = await Promise.all(names.map(async (n) => [n, await readSupply(path.join(base, n))] as const));
        for (const [name, ps] of supplies) {
          if (ignored.test(name)) continue;
          for (const [desc, file, convert] of METRICS) {
            const v = ps.numbers.get(file);
            if (v !== undefined) out.add(desc, convert(v), name);
          }
          // Only the text attributes the supply has (non-empty) become labels.
          const labelNames = ['power_supply'];
          const values = [name];
          for (const s of POWER_SUPPLY_STRINGS) {
            const v = ps.strings.get(s);
            if (v === undefined || v === '') continue;
            labelNames.push(s);
            values.push(v);
          }
          out.addv(infoDescs.get('node_power_supply_info', INFO_HELP, 'gauge', labelNames), 1, values);
        }
      },
    };
  },
};
