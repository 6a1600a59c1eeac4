import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanMetricName, explodeSensorFilename, groupSensorFiles, hwmonSensorReadings, hwmonValueText } from '../../src/sysfs/hwmon.js';

test('explodeSensorFilename splits <type><index>_<property>', () => {
  const cases: [string, ReturnType<typeof explodeSensorFilename>][] = [
    ['temp1_input', { type: 'temp', index: 1, property: 'input' }],
    ['temp1_crit_alarm', { type: 'temp', index: 1, property: 'crit_alarm' }],
    ['pwm1', { type: 'pwm', index: 1, property: '' }],
    ['pwm1_auto_point2_temp', { type: 'pwm', index: 1, property: 'auto_point2_temp' }],
    ['beep_enable', { type: 'beep_enable', index: 0, property: '' }],
    ['in00_input', { type: 'in', index: 0, property: 'input' }],
    ['1abc', undefined],
    ['', undefined],
    ['temp99999999999999999999_input', undefined],
  ];
  for (const [name, want] of cases) assert.deepEqual(explodeSensorFilename(name), want, name);
});

test('cleanMetricName lowercases, replaces and trims', () => {
  assert.equal(cleanMetricName('coretemp.0'), 'coretemp_0');
  assert.equal(cleanMetricName('asus-nb-wmi\n'), 'asus_nb_wmi');
  assert.equal(cleanMetricName('__A:b__'), 'a:b');
  assert.equal(cleanMetricName('...'), '');
});

test('hwmonValueText trims newlines and keeps at most 128 bytes', () => {
  assert.equal(hwmonValueText('45000\n'), '45000');
  assert.equal(hwmonValueText(`${'x'.repeat(200)}\n`).length, 128);
});

test('groupSensorFiles keeps sensor types upstream knows; later files win', () => {
  const g = groupSensorFiles([
    ['temp1_input', '1'],
    ['name', 'x'],
    ['uevent', ''],
    ['device', ''],
    ['temp1_input', '2'],
    ['fan1_label', 'CPU'],
  ]);
  assert.deepEqual([...g.keys()], ['temp1', 'fan1']);
  assert.equal(g.get('temp1')?.get('input'), '2');
});

// The chip label is the collector's; it is spelled here so each line reads as the series on /metrics.
const series = (chip: string, sensor: string, data: [string, string][]) =>
  hwmonSensorReadings(sensor, new Map(data))
    .map((s) => `${s.name}{chip=${chip},sensor=${s.sensor}${s.label === undefined ? '' : `,label=${s.label}`}} ${s.value} ${s.type}`)
    .sort();

test('hwmonSensorReadings: units and names per sensor type', () => {
  assert.deepEqual(
    series('c', 'temp1', [
      ['input', '45500'],
      ['crit', '100000'],
      ['label', 'Core 0'],
      ['type', '4'],
    ]),
    [
      'node_hwmon_sensor_label{chip=c,sensor=temp1,label=Core 0} 1 gauge',
      'node_hwmon_temp_celsius{chip=c,sensor=temp1} 45.5 gauge',
      'node_hwmon_temp_crit_celsius{chip=c,sensor=temp1} 100 gauge',
      'node_hwmon_temp_type{chip=c,sensor=temp1} 4 gauge',
    ],
  );
  // both a bare file and _input: the latter is named
  assert.deepEqual(
    series('c', 'in0', [
      ['', '1000'],
      ['input', '1100'],
    ]),
    ['node_hwmon_in_input_volts{chip=c,sensor=in0} 1.1 gauge', 'node_hwmon_in_volts{chip=c,sensor=in0} 1 gauge'],
  );
  assert.deepEqual(
    series('c', 'power1', [
      ['input', '12500000'],
      ['accuracy', '5000'],
      ['average_interval', '1000'],
    ]),
    [
      'node_hwmon_power_accuracy{chip=c,sensor=power1} 0.005 gauge',
      'node_hwmon_power_average_interval_seconds{chip=c,sensor=power1} 1 gauge',
      'node_hwmon_power_watt{chip=c,sensor=power1} 12.5 gauge',
    ],
  );
  assert.deepEqual(series('c', 'energy1', [['input', '2000000']]), ['node_hwmon_energy_joule_total{chip=c,sensor=energy1} 2 counter']);
  assert.deepEqual(
    series('c', 'fan1', [
      ['input', '900'],
      ['alarm', '0'],
      ['beep', '1'],
      ['pulses', '2'],
    ]),
    [
      'node_hwmon_fan_alarm{chip=c,sensor=fan1} 0 gauge',
      'node_hwmon_fan_beep_enabled{chip=c,sensor=fan1} 1 gauge',
      'node_hwmon_fan_pulses{chip=c,sensor=fan1} 2 gauge',
      'node_hwmon_fan_rpm{chip=c,sensor=fan1} 900 gauge',
    ],
  );
  assert.deepEqual(series('c', 'beep_enable0', [['', '1']]), ['node_hwmon_beep_enabled{chip=c,sensor=beep_enable0} 1 gauge']);
  assert.deepEqual(series('c', 'update_interval0', [['', '500']]), ['node_hwmon_update_interval_seconds{chip=c,sensor=update_interval0} 0.5 gauge']);
  assert.deepEqual(series('c', 'vrm0', [['', 'junk']]), []);
});

test('hwmonSensorReadings: freq needs a label, which replaces the sensor; junk values are skipped', () => {
  assert.deepEqual(series('c', 'freq1', [['input', '1800000000']]), []);
  assert.deepEqual(
    series('c', 'freq1', [
      ['input', '1800000000'],
      ['label', 'sclk'],
    ]),
    ['node_hwmon_freq_freq_mhz{chip=c,sensor=sclk} 1800 gauge', 'node_hwmon_sensor_label{chip=c,sensor=freq1,label=sclk} 1 gauge'],
  );
  assert.deepEqual(
    series('c', 'temp2', [
      ['input', 'N/A'],
      ['max', ''],
    ]),
    [],
  );
});
