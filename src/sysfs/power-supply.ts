import { parseGoInt } from '../procfs/go-number.js';
import { ParseError } from '../procfs/parse-error.js';

/** Text attributes of /sys/class/power_supply/<name> (Documentation/ABI/testing/sysfs-class-power). */
export const POWER_SUPPLY_STRINGS = [
  'capacity_level',
  'charge_type',
  'health',
  'manufacturer',
  'model_name',
  'scope',
  'serial_number',
  'status',
  'technology',
  'type',
  'usb_type',
] as const;

/** Integer attributes, in the kernel's units (µA, µV, µWh, µW, tenths of °C, seconds, %). */
export const POWER_SUPPLY_NUMBERS = [
  'authentic',
  'calibrate',
  'capacity',
  'capacity_alert_max',
  'capacity_alert_min',
  'charge_avg',
  'charge_control_limit',
  'charge_control_limit_max',
  'charge_counter',
  'charge_empty',
  'charge_empty_design',
  'charge_full',
  'charge_full_design',
  'charge_now',
  'charge_term_current',
  'constant_charge_current',
  'constant_charge_current_max',
  'constant_charge_voltage',
  'constant_charge_voltage_max',
  'current_avg',
  'current_boot',
  'current_max',
  'current_now',
  'cycle_count',
  'energy_avg',
  'energy_empty',
  'energy_empty_design',
  'energy_full',
  'energy_full_design',
  'energy_now',
  'input_current_limit',
  'online',
  'power_avg',
  'power_now',
  'precharge_current',
  'present',
  'temp',
  'temp_alert_max',
  'temp_alert_min',
  'temp_ambient',
  'temp_ambient_max',
  'temp_ambient_min',
  'temp_max',
  'temp_min',
  'time_to_empty_avg',
  'time_to_empty_now',
  'time_to_full_avg',
  'time_to_full_now',
  'voltage_avg',
  'voltage_boot',
  'voltage_max',
  'voltage_max_design',
  'voltage_min',
  'voltage_min_design',
  'voltage_now',
  'voltage_ocv',
] as const;

export interface PowerSupply {
  numbers: Map<string, number>;
  strings: Map<string, string>;
}

const STRINGS: ReadonlySet<string> = new Set(POWER_SUPPLY_STRINGS);
const NUMBERS: ReadonlySet<string> = new Set(POWER_SUPPLY_NUMBERS);

/**
 * A supply from its attribute files (name → text). Files of other names (uevent, alarm, vendor
 * extras) are ignored; a known numeric attribute that is not an integer is a ParseError.
 */
export function parsePowerSupply(files: Iterable<readonly [string, string]>): PowerSupply {
  const ps: PowerSupply = { numbers: new Map(), strings: new Map() };
  for (const [name, raw] of files) {
    const text = raw.trim();
    if (STRINGS.has(name)) ps.strings.set(name, text);
    if (!NUMBERS.has(name)) continue;
    const v = parseGoInt(text);
    if (v === undefined) throw new ParseError(`invalid ${name} ${JSON.stringify(text)}`, text, 1);
    ps.numbers.set(name, v);
  }
  return ps;
}
