import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addCpuInfo, cpu, CpuTimesCache, type CpuInfoSettings } from '../../src/collectors/cpu.js';
import { ConfigError } from '../../src/collector.js';
import { CollectorSink } from '../../src/exposition/sink.js';
import { silentLogger } from '../../src/logger.js';
import { zeroCpuTimes, type CpuTimes } from '../../src/procfs/stat.js';
import { readCpuinfo } from '../../src/read/cpu.js';
import { bufferFamilies, buildCollector, collectOnce, collectSeries, familySeries, seriesMap } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';

const roots = { procfs: fixturePath('proc'), sysfs: fixturePath('sys') };
const INFO_FLAGS = { 'collector.cpu.info.flags-include': '^(aes|avx.?|constant_tsc)$', 'collector.cpu.info.bugs-include': '^(spectre_.*|mds)$' };

test('cpu: seconds per mode from /proc/stat, online CPUs only, ticks / USER_HZ', async () => {
  const m = await collectSeries(cpu, { roots });
  const seconds = familySeries(m, 'node_cpu_seconds_total');
  assert.equal(seconds.size, 3 * 8);
  assert.equal(m.get('node_cpu_seconds_total{cpu="0",mode="user"}'), 6200.11);
  assert.equal(m.get('node_cpu_seconds_total{cpu="3",mode="idle"}'), 329330.97);
  assert.equal(m.get('node_cpu_seconds_total{cpu="1",mode="steal"}'), 1.71);
  assert.ok(!m.has('node_cpu_seconds_total{cpu="2",mode="user"}'), 'cpu2 is offline');
  assert.equal(familySeries(m, 'node_cpu_guest_seconds_total').size, 6);
  assert.equal(m.get('node_cpu_guest_seconds_total{cpu="1",mode="user"}'), 33.65);
  assert.equal(m.get('node_cpu_guest_seconds_total{cpu="1",mode="nice"}'), 0.14);
  // Off by default.
  assert.equal(familySeries(m, 'node_cpu_info').size, 0);
});

test('cpu: isolated CPUs, throttles once per core and package, no online metric when cpu0 has no online file', async () => {
  const m = await collectSeries(cpu, { roots });
  assert.deepEqual([...familySeries(m, 'node_cpu_isolated')], [['node_cpu_isolated{cpu="3"}', 1]]);
  assert.deepEqual(
    new Map(familySeries(m, 'node_cpu_core_throttles_total')),
    new Map([
      ['node_cpu_core_throttles_total{core="0",package="0"}', 12],
      ['node_cpu_core_throttles_total{core="1",package="0"}', 3],
    ]),
  );
  assert.deepEqual([...familySeries(m, 'node_cpu_package_throttles_total')], [['node_cpu_package_throttles_total{package="0"}', 40]]);
  assert.equal(familySeries(m, 'node_cpu_online').size, 0);
});

test('cpu: --no-collector.cpu.guest drops the guest family', async () => {
  const m = await collectSeries(cpu, { roots, options: { 'collector.cpu.guest': false } });
  assert.equal(familySeries(m, 'node_cpu_guest_seconds_total').size, 0);
  assert.equal(familySeries(m, 'node_cpu_seconds_total').size, 24);
});

test('cpu: a bad include regexp is a ConfigError', () => {
  assert.throws(() => buildCollector(cpu, { roots, options: { 'collector.cpu.info.flags-include': '(' } }), ConfigError);
});

test('cpu info: labels, flags and bugs of the first CPU, frequency only with cpufreq enabled', async () => {
  const settings = { flagsInclude: /^(aes|avx.?|constant_tsc)$/u, bugsInclude: /^(spectre_.*|mds)$/u, frequency: false };
  const cpus = await readCpuinfo(fixturePath('proc', 'cpuinfo'), 'x64');
  const infoSeries = (s: CpuInfoSettings) => {
    const sink = new CollectorSink();
    addCpuInfo(sink, cpus, s);
    return seriesMap(bufferFamilies(sink.list));
  };
  const m = infoSeries(settings);
  assert.equal(familySeries(m, 'node_cpu_info').size, 3);
  assert.equal(
    m.get(
      'node_cpu_info{cachesize="4096 KB",core="1",cpu="3",family="6",microcode="0xf8",model="165",model_name="Intel(R) Pentium(R) Gold G6400 CPU @ 4.00GHz",package="0",stepping="3",vendor="GenuineIntel"}',
    ),
    1,
  );
  assert.deepEqual([...familySeries(m, 'node_cpu_flag_info').keys()], ['node_cpu_flag_info{flag="constant_tsc"}', 'node_cpu_flag_info{flag="aes"}']);
  assert.deepEqual([...familySeries(m, 'node_cpu_bug_info').keys()], ['node_cpu_bug_info{bug="spectre_v1"}', 'node_cpu_bug_info{bug="spectre_v2"}']);
  assert.equal(familySeries(m, 'node_cpu_frequency_hertz').size, 0);

  const withFreq = infoSeries({ ...settings, frequency: true, flagsInclude: undefined });
  assert.equal(withFreq.get('node_cpu_frequency_hertz{core="1",cpu="1",package="0"}'), 800.012 * 1e6);
  assert.equal(familySeries(withFreq, 'node_cpu_flag_info').size, 0, 'no include regexp, no flag series');

  await assert.rejects(readCpuinfo(fixturePath('proc', 'cpuinfo'), 's390x'), /not supported/);
});

test('cpu info: the include flags imply --collector.cpu.info; frequency follows the cpufreq collector', { skip: process.arch !== 'x64' && 'x86 cpuinfo fixture' }, async () => {
  const m = await collectSeries(cpu, { roots, options: INFO_FLAGS, enabledCollectors: ['cpu', 'cpufreq'] });
  assert.equal(familySeries(m, 'node_cpu_info').size, 3);
  assert.equal(familySeries(m, 'node_cpu_flag_info').size, 2);
  assert.equal(familySeries(m, 'node_cpu_frequency_hertz').size, 3);
  const noFreq = await collectSeries(cpu, { roots, options: { 'collector.cpu.info': true }, enabledCollectors: ['cpu'] });
  assert.equal(familySeries(noFreq, 'node_cpu_info').size, 3);
  assert.equal(familySeries(noFreq, 'node_cpu_frequency_hertz').size, 0);
});

test('cpu: online state when the first CPU has an online file; a missing one elsewhere counts as offline', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpu-online-'));
  try {
    const cpus = path.join(dir, 'devices/system/cpu');
    for (const [name, online] of [
      ['cpu0', '1\n'],
      ['cpu1', '0\n'],
      ['cpu2', undefined],
      ['cpu10', '1\n'],
    ] as const) {
      mkdirSync(path.join(cpus, name), { recursive: true });
      if (online !== undefined) writeFileSync(path.join(cpus, name, 'online'), online);
    }
    const m = await collectSeries(cpu, { roots: { procfs: fixturePath('proc'), sysfs: dir } });
    assert.deepEqual(
      new Map(familySeries(m, 'node_cpu_online')),
      new Map([
        ['node_cpu_online{cpu="0"}', 1],
        ['node_cpu_online{cpu="1"}', 0],
        ['node_cpu_online{cpu="2"}', 0],
        ['node_cpu_online{cpu="10"}', 1],
      ]),
    );
    // No isolated file and no topology: nothing, and no failure.
    assert.equal(familySeries(m, 'node_cpu_isolated').size, 0);
    assert.equal(familySeries(m, 'node_cpu_core_throttles_total').size, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cpu: a malformed /proc/stat fails the collector', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpu-stat-'));
  try {
    writeFileSync(path.join(dir, 'stat'), 'cpu0 1 2 x\n');
    await assert.rejects(collectOnce(buildCollector(cpu, { roots: { procfs: dir, sysfs: fixturePath('sys') } })), /stat:1: invalid cpu0 system ticks/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const times = (t: Partial<CpuTimes>): CpuTimes => ({ ...zeroCpuTimes(), ...t });

test('CpuTimesCache: counters never go backwards; a big idle drop (hotplug) resets; gone CPUs are forgotten', () => {
  const cache = new CpuTimesCache(silentLogger);
  cache.update(
    new Map([
      [0, times({ user: 10, idle: 100, iowait: 5 })],
      [1, times({ idle: 50 })],
    ]),
  );
  // Jitter: iowait steps back by a tick, idle by less than 3 s.
  let got = cache.update(
    new Map([
      [0, times({ user: 11, idle: 99, iowait: 4.99 })],
      [1, times({ idle: 51 })],
    ]),
  );
  assert.deepEqual(got.get(0), times({ user: 11, idle: 100, iowait: 5 }));
  // cpu0 unplugged and back: its idle restarts far below; everything follows the new values.
  got = cache.update(new Map([[0, times({ user: 1, idle: 2, iowait: 0 })]]));
  assert.deepEqual(got.get(0), times({ user: 1, idle: 2, iowait: 0 }));
  assert.deepEqual([...got.keys()], [0], 'cpu1 went offline');
});
