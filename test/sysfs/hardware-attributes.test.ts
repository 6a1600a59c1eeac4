import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { isAmdgpu, parseAmdgpuCard, type AmdgpuFile } from '../../src/sysfs/drm.js';
import { parsePowerSupply } from '../../src/sysfs/power-supply.js';
import { sanitizeMetricName } from '../../src/metric-name.js';
import { raplZoneIndexAndName } from '../../src/sysfs/powercap.js';
import { parseCoolingDevice, parseThermalZone } from '../../src/sysfs/thermal.js';
import { parseWatchdog, type WatchdogFile } from '../../src/sysfs/watchdog.js';
import { fixturePath } from '../helpers/repo.js';

const throwsParse = (fn: () => unknown, re: RegExp) => assert.throws(fn, (e: unknown) => e instanceof ParseError && re.test(e.message));

test('parseWatchdog: table', () => {
  const wd = (files: [WatchdogFile, string][]) => parseWatchdog('watchdog0', new Map(files));
  assert.deepEqual(wd([]), { name: 'watchdog0', numbers: {}, strings: {} });
  throwsParse(() => wd([['timeout', '']]), /invalid timeout/);
  throwsParse(() => wd([['timeout', '30 s']]), /invalid timeout/);
  throwsParse(() => wd([['bootstatus', '0xzz']]), /invalid bootstatus/);
  const ok = wd([
    ['bootstatus', '0x20\n'],
    ['timeout', '30\n'],
    ['timeleft', '-1'],
    ['identity', 'iTCO_wdt\n'],
    ['status', '0x8000\n'],
  ]);
  assert.deepEqual(ok.numbers, { bootstatus: 32, timeout: 30, timeleft: -1 });
  assert.deepEqual(ok.strings, { identity: 'iTCO_wdt', status: '0x8000' });
});

test('parsePowerSupply: table', () => {
  assert.deepEqual(parsePowerSupply([]), { numbers: new Map(), strings: new Map() });
  throwsParse(() => parsePowerSupply([['capacity', '']]), /invalid capacity/);
  throwsParse(() => parsePowerSupply([['voltage_now', '12.8']]), /invalid voltage_now/);
  const ps = parsePowerSupply([
    ['capacity', '67\n'],
    ['temp', '-52\n'],
    ['status', 'Charging\n'],
    ['serial_number', '  1234 \n'],
    ['uevent', 'X=1'],
    ['alarm', 'junk'],
  ]);
  assert.deepEqual(
    [...ps.numbers],
    [
      ['capacity', 67],
      ['temp', -52],
    ],
  );
  assert.deepEqual(
    [...ps.strings],
    [
      ['status', 'Charging'],
      ['serial_number', '1234'],
    ],
  );
});

test('parseThermalZone and parseCoolingDevice: table', () => {
  assert.deepEqual(parseThermalZone(undefined, undefined), { type: '', temp: 0 });
  assert.deepEqual(parseThermalZone('acpitz\n', 'garbage'), { type: 'acpitz', temp: 0 });
  assert.deepEqual(parseThermalZone('acpitz\n', '-1500\n'), { type: 'acpitz', temp: -1500 });
  throwsParse(() => parseCoolingDevice('Processor\n', '', '0'), /invalid max_state/);
  throwsParse(() => parseCoolingDevice('Processor\n', '3', '1 2'), /invalid cur_state/);
  assert.deepEqual(parseCoolingDevice('intel_powerclamp\n', '50\n', '-1\n'), { type: 'intel_powerclamp', maxState: 50, curState: -1 });
});

test('raplZoneIndexAndName numbers repeated names; sanitizeMetricName', () => {
  const seen = new Map<string, number>();
  const got = ['package-0', 'core', 'core', 'package-1', 'psys', 'dram-x'].map((n) => raplZoneIndexAndName(seen, `${n}\n`));
  assert.deepEqual(got, [
    { index: 0, name: 'package' },
    { index: 0, name: 'core' },
    { index: 1, name: 'core' },
    { index: 1, name: 'package' },
    { index: 0, name: 'psys' },
    { index: 0, name: 'dram-x' },
  ]);
  assert.equal(sanitizeMetricName('dram-x'), 'dram_x');
  assert.equal(sanitizeMetricName('a__-.__b'), 'a_b');
});

test('parseAmdgpuCard and isAmdgpu: table', () => {
  assert.equal(isAmdgpu('DRIVER=amdgpu\nPCI_CLASS=30000\n'), true);
  assert.equal(isAmdgpu('DRIVER=i915\n'), false);
  assert.equal(isAmdgpu(`${'X'.repeat(130)}\nDRIVER=amdgpu\n`), false); // beyond the 128 bytes read
  throwsParse(() => parseAmdgpuCard(new Map<AmdgpuFile, string>([['gpu_busy_percent', 'n/a']])), /invalid gpu_busy_percent/);
  const card = parseAmdgpuCard(
    new Map<AmdgpuFile, string>([
      ['mem_info_vram_total', '17163091968\n'],
      ['unique_id', 'abc\n'],
    ]),
  );
  assert.equal(card.numbers.mem_info_vram_total, 17163091968);
  assert.equal(card.numbers.gpu_busy_percent, 0);
  assert.equal(card.strings.unique_id, 'abc');
  assert.equal(card.strings.mem_info_vram_vendor, '');
});

test('fixture files read through readAndParse', async () => {
  const seen = new Map<string, number>();
  assert.deepEqual(await readAndParse(fixturePath('sys', 'class', 'powercap', 'intel-rapl:0', 'name'), (t) => raplZoneIndexAndName(seen, t)), { index: 0, name: 'package' });
  assert.equal(await readAndParse(fixturePath('sys', 'class', 'drm', 'card0', 'device', 'uevent'), isAmdgpu), true);
  assert.deepEqual(
    await readAndParse(fixturePath('sys', 'class', 'thermal', 'cooling_device1', 'cur_state'), (t) => parseCoolingDevice('intel_powerclamp', '50', t)).then((d) => d.curState),
    -1,
  );
  assert.equal((await readAndParse(fixturePath('sys', 'class', 'watchdog', 'watchdog0', 'status'), (t) => parseWatchdog('w', new Map([['status', t]])))).strings.status, '0x8000');
});
