import { parseGoFloat } from '../procfs/go-number.js';

/**
 * The naming and unit rules of /sys/class/hwmon attributes (Documentation/hwmon/sysfs-interface):
 * files are <type><index>_<property>, values are integers in milli-units (micro for power,
 * energy and humidity). Pure: the collector reads the files and hands the text here.
 */

/** Sensor types node_exporter exports; other attribute files of a chip are ignored. */
export const HWMON_SENSOR_TYPES: ReadonlySet<string> = new Set([
  'vrm',
  'beep_enable',
  'update_interval',
  'in',
  'cpu',
  'fan',
  'pwm',
  'temp',
  'curr',
  'power',
  'energy',
  'humidity',
  'intrusion',
  'freq',
]);

/** Lower case, anything outside [a-z0-9:_] to "_", leading/trailing "_" dropped. */
export function cleanMetricName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9:_]/g, '_')
    .replace(/^_+|_+$/g, '');
}

export interface SensorFilename {
  type: string;
  index: number;
  property: string;
}

const FILENAME = /^([^0-9]+)([0-9]*)?(_(.+))?$/;

/** Splits "temp1_crit_alarm" into temp / 1 / crit_alarm; undefined when it does not fit. */
export function explodeSensorFilename(filename: string): SensorFilename | undefined {
  const m = FILENAME.exec(filename);
  if (m === null) return undefined;
  const digits = m[2] ?? '';
  const index = digits === '' ? 0 : Number(digits);
  // Go's Atoi fails beyond int64; such a file is not a sensor.
  if (!Number.isSafeInteger(index)) return undefined;
  return { type: m[1] ?? '', index, property: m[4] ?? '' };
}

/** An attribute file's value as upstream keeps it: at most 128 bytes, newlines trimmed. */
export function hwmonValueText(raw: string): string {
  const bytes = Buffer.from(raw, 'utf8');
  const text = bytes.length > 128 ? bytes.subarray(0, 128).toString('utf8') : raw;
  return text.replace(/^\n+|\n+$/g, '');
}

/**
 * Groups a chip's attribute files into sensors: "temp1" → {"input": "45000", "label": "Core 0"}.
 * `files` maps file name → value text; later entries (the device directory's) win.
 */
export function groupSensorFiles(files: Iterable<readonly [string, string]>): Map<string, Map<string, string>> {
  const sensors = new Map<string, Map<string, string>>();
  for (const [name, value] of files) {
    const f = explodeSensorFilename(name);
    if (f === undefined || !HWMON_SENSOR_TYPES.has(f.type)) continue;
    const sensor = `${f.type}${f.index}`;
    let data = sensors.get(sensor);
    if (data === undefined) sensors.set(sensor, (data = new Map()));
    data.set(f.property, value);
  }
  return sensors;
}

/**
 * One reading of one sensor, named as node_exporter names it. Names depend on the sensor type
 * and the attribute, so they are only known at run time. Labels are the chip, `sensor`, and
 * for node_hwmon_sensor_label also `label`.
 */
export interface HwmonReading {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  /** The sensor label's value: the sensor's name, or for frequencies its cleaned label. */
  sensor: string;
  /** Only on node_hwmon_sensor_label: the driver's label text. */
  label?: string;
  value: number;
}

// Same float operations as upstream (×0.001, ÷1e6), so values match to the last bit.
const MILLI = (v: number): number => v * 0.001;
const MICRO = (v: number): number => v / 1000000;
const UNIT = (v: number): number => v;

/** How one property of one sensor type becomes a metric: name suffix, scale, help. */
function unitRule(type: string, element: string): { suffix: string; scale: (v: number) => number; help: string; counter?: boolean } | undefined {
  if (element === 'fault' || element === 'alarm') return { suffix: '', scale: UNIT, help: `Sensor ${element} state (${type}).` };
  if (element === 'beep') return { suffix: '_enabled', scale: UNIT, help: 'Whether the sensor beeps on alarm.' };
  if (type === 'in' || type === 'cpu') return { suffix: '_volts', scale: MILLI, help: `Voltage (${element}), in volts.` };
  if (type === 'temp' && element !== 'type') return { suffix: '_celsius', scale: MILLI, help: `Temperature (${element || 'input'}), in degrees Celsius.` };
  if (type === 'curr') return { suffix: '_amps', scale: MILLI, help: `Current (${element}), in amperes.` };
  if (type === 'energy') return { suffix: '_joule_total', scale: MICRO, help: `Energy used so far (${element}), in joules.`, counter: true };
  if (type === 'power' && element === 'accuracy') return { suffix: '', scale: MICRO, help: 'Accuracy of the power meter, as a ratio.' };
  if (type === 'power' && /^average_interval(_min|_max)?$/.test(element)) return { suffix: '_seconds', scale: MILLI, help: `Power averaging interval (${element}), in seconds.` };
  if (type === 'power') return { suffix: '_watt', scale: MICRO, help: `Power (${element}), in watts.` };
  if (type === 'humidity') return { suffix: '', scale: MICRO, help: `Relative humidity (${element}), as a ratio.` };
  if (type === 'fan' && ['input', 'min', 'max', 'target'].includes(element)) return { suffix: '_rpm', scale: UNIT, help: `Fan speed (${element}), in revolutions per minute.` };
  return undefined;
}

/** The readings one sensor of a chip yields, with node_exporter's names and units. */
export function hwmonSensorReadings(sensor: string, data: ReadonlyMap<string, string>): HwmonReading[] {
  const type = explodeSensorFilename(sensor)?.type ?? '';
  const out: HwmonReading[] = [];
  const reading = (name: string, help: string, value: number, as = sensor) => out.push({ name, help, type: 'gauge', sensor: as, value });
  const label = data.get('label');
  if (label !== undefined) out.push({ name: 'node_hwmon_sensor_label', help: 'Label of a sensor, as the driver names it.', type: 'gauge', sensor, label, value: 1 });

  const whole = data.get('');
  if (type === 'beep_enable') {
    reading('node_hwmon_beep_enabled', 'Whether the chip beeps on alarms.', whole === '1' ? 1 : 0);
    return out;
  }
  if (type === 'vrm' || type === 'update_interval') {
    const v = parseGoFloat(whole ?? '');
    if (v === undefined) return out;
    if (type === 'vrm') reading('node_hwmon_voltage_regulator_version', 'Voltage regulator module version the chip expects.', v);
    else reading('node_hwmon_update_interval_seconds', 'Interval at which the chip updates its readings, in seconds.', v * 0.001);
    return out;
  }

  const prefix = `node_hwmon_${type}`;
  for (const [element, text] of data) {
    if (element === 'label') continue;
    let name = prefix;
    if (element === 'input') {
      // "input" is the reading itself; only when a bare <type><n> file exists too is it named.
      if (whole !== undefined) name += '_input';
    } else if (element !== '') {
      name += `_${cleanMetricName(element)}`;
    }
    const value = parseGoFloat(text);
    if (value === undefined) continue;
    if (type === 'freq' && element === 'input') {
      // Frequencies are only exported with a label, which replaces the sensor name.
      if (label !== undefined) reading(`${name}_freq_mhz`, 'Frequency (GPU clocks), in MHz.', value / 1000000, cleanMetricName(label));
      continue;
    }
    const rule = unitRule(type, element);
    if (rule === undefined) {
      reading(name, `Raw value of ${type} attribute ${element}.`, value);
      continue;
    }
    out.push({ name: `${name}${rule.suffix}`, help: rule.help, type: rule.counter ? 'counter' : 'gauge', sensor, value: rule.scale(value) });
  }
  return out;
}
