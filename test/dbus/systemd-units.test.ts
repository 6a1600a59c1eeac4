import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compileUnitFilter,
  filterUnits,
  isUint64Max,
  parseListUnits,
  parseSystemdVersion,
  countUnitStates,
  unitStateValues,
  unitTypeInterface,
  virtualizationLabel,
  type SystemdUnit,
} from '../../src/dbus/systemd-units.js';
import { ConfigError } from '../../src/collector.js';
import { DbusReplyError } from '../../src/dbus/reply.js';
import { systemd } from '../../src/collectors/systemd.js';
import { silentLogger } from '../../src/logger.js';
import { buildCollector } from '../helpers/series.js';

const unit = (name: string, activeState = 'active', loadState = 'loaded'): SystemdUnit => ({ name, activeState, loadState, path: `/u/${name}` });
const row = (name: string, load: string, active: string) => [name, 'desc', load, active, 'sub', '', `/u/${name}`, 0, '', '/'];

test('parseListUnits', async (t) => {
  const cases: Array<{ name: string; reply: unknown; want?: SystemdUnit[]; error?: RegExp }> = [
    { name: 'empty list', reply: [], want: [] },
    {
      name: 'valid',
      reply: [row('a.service', 'loaded', 'active'), row('b.socket', 'not-found', 'inactive')],
      want: [unit('a.service'), unit('b.socket', 'inactive', 'not-found')],
    },
    { name: 'extra struct members (newer systemd) ignored', reply: [[...row('a.service', 'loaded', 'active'), 'extra']], want: [unit('a.service')] },
    { name: 'not an array', reply: 'units', error: /ListUnits reply: expected an array, got string/ },
    { name: 'truncated struct', reply: [['a.service', 'd', 'loaded']], error: /unit 0: expected a struct of 7 members, got 3/ },
    { name: 'wrong member type', reply: [['a.service', 'd', 'loaded', 7, 's', '', '/p']], error: /unit 0, active state: expected a string, got number/ },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      if (c.error !== undefined)
        assert.throws(
          () => parseListUnits(c.reply),
          (e: Error) => e instanceof DbusReplyError && c.error!.test(e.message),
        );
      else assert.deepEqual(parseListUnits(c.reply), c.want);
    });
  }
});

test('filterUnits: anchored include/exclude, loaded units only', () => {
  const units = [unit('ssh.service'), unit('sshd.service'), unit('home.mount'), unit('user.slice'), unit('gone.service', 'inactive', 'not-found'), unit('x.service.d')];
  const defaults = compileUnitFilter('.+', '.+\\.(automount|device|mount|scope|slice)', 'i', 'e');
  assert.deepEqual(
    filterUnits(units, defaults).map((u) => u.name),
    ['ssh.service', 'sshd.service', 'x.service.d'],
  );
  // Anchored: "ssh\.service" does not match sshd.service nor a longer name containing it.
  const narrow = compileUnitFilter('ssh\\.service|home\\.mount', '', 'i', 'e');
  assert.deepEqual(
    filterUnits(units, narrow).map((u) => u.name),
    ['ssh.service', 'home.mount'],
  );
  const both = compileUnitFilter('.+\\.service', 'sshd?\\.service', 'i', 'e');
  assert.deepEqual(
    filterUnits(units, both).map((u) => u.name),
    [],
  );
  assert.throws(() => compileUnitFilter('(', '', 'collector.systemd.unit-include', 'e'), ConfigError);
});

test('countUnitStates: the five states always, other states as seen, filtered-out units counted', () => {
  assert.deepEqual(
    countUnitStates([]).map((s) => [s.state, s.count]),
    [
      ['active', 0],
      ['activating', 0],
      ['deactivating', 0],
      ['inactive', 0],
      ['failed', 0],
    ],
  );
  const got = countUnitStates([unit('a'), unit('b', 'failed'), unit('c', 'reloading', 'not-found'), unit('d')]);
  assert.deepEqual(
    got.map((s) => [s.state, s.count]),
    [
      ['active', 2],
      ['activating', 0],
      ['deactivating', 0],
      ['inactive', 0],
      ['failed', 1],
      ['reloading', 1],
    ],
  );
});

test('unitStateValues and unitTypeInterface', () => {
  assert.deepEqual(unitStateValues(unit('a.service', 'failed')), [
    { state: 'active', value: 0 },
    { state: 'activating', value: 0 },
    { state: 'deactivating', value: 0 },
    { state: 'inactive', value: 0 },
    { state: 'failed', value: 1 },
  ]);
  // A state outside the five: every value 0.
  assert.ok(unitStateValues(unit('a', 'reloading')).every((s) => s.value === 0));
  assert.equal(unitTypeInterface('a.service'), 'Service');
  assert.equal(unitTypeInterface('home.mount'), 'Mount');
  assert.equal(unitTypeInterface('a.socket'), undefined);
});

test('parseSystemdVersion, virtualizationLabel, isUint64Max', () => {
  const cases: Array<[string, number, string]> = [
    ['252.33-1~deb12u1', 252.33, '252.33-1~deb12u1'],
    ['257', 257, '257'],
    ['systemd 249 (249.11-0ubuntu3)', 249, 'systemd 249 (249.11-0ubuntu3)'],
    ['v42', 0, ''],
    ['', 0, ''],
  ];
  for (const [raw, value, label] of cases) assert.deepEqual(parseSystemdVersion(raw), { value, label }, raw);
  assert.equal(virtualizationLabel('kvm'), 'kvm');
  assert.equal(virtualizationLabel(''), 'none');
  assert.equal(virtualizationLabel(undefined), 'unknown');
  assert.equal(isUint64Max(18446744073709551615), true);
  assert.equal(isUint64Max(2 ** 53), false);
});

test('systemd flags: deprecated whitelist/blacklist names, conflicts, bad regexps', () => {
  const warnings: string[] = [];
  const logger = { ...silentLogger, warn: (m: string) => warnings.push(m), with: () => logger };
  buildCollector(systemd, { options: { 'collector.systemd.unit-include': '.+', 'collector.systemd.unit-blacklist': 'x\\.service' }, logger });
  assert.deepEqual(warnings, ['--collector.systemd.unit-blacklist is deprecated, use --collector.systemd.unit-exclude']);
  assert.throws(
    () => buildCollector(systemd, { options: { 'collector.systemd.unit-whitelist': 'a', 'collector.systemd.unit-include': 'b' }, explicit: ['collector.systemd.unit-include'] }),
    /unit-whitelist and --collector.systemd.unit-include are mutually exclusive/,
  );
  assert.throws(
    () => buildCollector(systemd, { options: { 'collector.systemd.unit-include': '(' } }),
    (e: Error) => e instanceof ConfigError && e.message.includes('"("'),
  );
});
