import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NoDataError } from '../../src/collector.js';
import { cpufreq } from '../../src/collectors/cpufreq.js';
import { buildCollector, collectOnce, collectSeries, familySeries } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';

/** A private copy of the fixture sysfs, to break. */
function sysfsCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpufreq-'));
  cpSync(fixturePath('sys'), dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

test('cpufreq: kHz → Hz per online CPU, through the policy symlinks; absent files give no series', async () => {
  const m = await collectSeries(cpufreq, { roots: { sysfs: fixturePath('sys') } });
  assert.deepEqual(
    new Map(familySeries(m, 'node_cpu_scaling_frequency_hertz')),
    new Map([
      ['node_cpu_scaling_frequency_hertz{cpu="0"}', 3999998000],
      ['node_cpu_scaling_frequency_hertz{cpu="1"}', 800012000],
      ['node_cpu_scaling_frequency_hertz{cpu="3"}', 4000102000],
    ]),
  );
  assert.equal(m.get('node_cpu_scaling_frequency_max_hertz{cpu="3"}'), 3.6e9);
  assert.equal(m.get('node_cpu_scaling_frequency_min_hertz{cpu="1"}'), 8e8);
  assert.equal(m.get('node_cpu_frequency_max_hertz{cpu="0"}'), 4e9);
  assert.equal(m.get('node_cpu_frequency_min_hertz{cpu="3"}'), 8e8);
  assert.deepEqual([...familySeries(m, 'node_cpu_frequency_avg_hertz')], [['node_cpu_frequency_avg_hertz{cpu="0"}', 3987654000]]);
  // intel_pstate has no cpuinfo_cur_freq.
  assert.equal(familySeries(m, 'node_cpu_frequency_hertz').size, 0);
  assert.ok(![...m.keys()].some((k) => k.includes('cpu="2"')), 'cpu2 is offline');
});

test('cpufreq: one series per available governor, 1 for the one in use', async () => {
  const m = await collectSeries(cpufreq, { roots: { sysfs: fixturePath('sys') } });
  assert.equal(familySeries(m, 'node_cpu_scaling_governor').size, 6);
  assert.equal(m.get('node_cpu_scaling_governor{cpu="0",governor="powersave"}'), 1);
  assert.equal(m.get('node_cpu_scaling_governor{cpu="0",governor="performance"}'), 0);
  assert.equal(m.get('node_cpu_scaling_governor{cpu="3",governor="performance"}'), 1);
});

test('cpufreq: a malformed value or a missing offline file fails; no CPUs at all is no data', async () => {
  const dir = sysfsCopy();
  try {
    writeFileSync(path.join(dir, 'devices/system/cpu/cpufreq/policy1/scaling_cur_freq'), '<unknown>\n');
    await assert.rejects(collectOnce(buildCollector(cpufreq, { roots: { sysfs: dir } })), /cpu1\/cpufreq\/scaling_cur_freq:1: invalid unsigned integer/);
    rmSync(path.join(dir, 'devices/system/cpu/offline'));
    await assert.rejects(collectOnce(buildCollector(cpufreq, { roots: { sysfs: dir } })), { code: 'ENOENT' });
    await assert.rejects(collectOnce(buildCollector(cpufreq, { roots: { sysfs: path.join(dir, 'nowhere') } })), { code: 'ENOENT' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cpufreq: no online CPU directory is NoDataError', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpufreq-none-'));
  try {
    const cpus = path.join(dir, 'devices/system/cpu');
    cpSync(fixturePath('sys', 'devices', 'system', 'cpu', 'offline'), path.join(cpus, 'offline'));
    await assert.rejects(collectOnce(buildCollector(cpufreq, { roots: { sysfs: dir } })), NoDataError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cpufreq: cpuinfo_cur_freq, where the driver has it, is node_cpu_frequency_hertz', async () => {
  const dir = sysfsCopy();
  try {
    writeFileSync(path.join(dir, 'devices/system/cpu/cpufreq/policy3/cpuinfo_cur_freq'), '3600000\n');
    const m = await collectSeries(cpufreq, { roots: { sysfs: dir } });
    assert.deepEqual([...familySeries(m, 'node_cpu_frequency_hertz')], [['node_cpu_frequency_hertz{cpu="3"}', 3.6e9]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cpufreq: an unreadable (root-only) frequency file is skipped, not a failure', async () => {
  const dir = sysfsCopy();
  // Root reads mode-000 files: as root, read as nobody for the duration (seteuid applies to
  // every thread of the process, the addon's included).
  const asRoot = process.getuid?.() === 0;
  try {
    const file = path.join(dir, 'devices/system/cpu/cpufreq/policy0/cpuinfo_cur_freq');
    writeFileSync(file, '4000000\n');
    chmodSync(file, 0o000);
    chmodSync(dir, 0o755);
    if (asRoot) process.seteuid?.(65534);
    let m;
    try {
      m = await collectSeries(cpufreq, { roots: { sysfs: dir } });
    } finally {
      if (asRoot) process.seteuid?.(0);
    }
    assert.equal(familySeries(m, 'node_cpu_frequency_hertz').size, 0);
    assert.equal(familySeries(m, 'node_cpu_scaling_frequency_hertz').size, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
