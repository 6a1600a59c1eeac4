import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { time } from '../../src/collectors/time.js';
import { collectSeries, familySeries } from '../helpers/series.js';
import { repoRoot } from '../helpers/repo.js';

test('the zone offset and name follow the zone file across DST changes', (t) => {
  // A child with a zone of its own: the zone is read once per process.
  const script = `
    import { localZone } from ${JSON.stringify(path.join(repoRoot, 'dist', 'src', 'collectors', 'time.js'))};
    const winter = Date.parse('2026-01-15T12:00:00Z') / 1000;
    const summer = Date.parse('2026-07-15T12:00:00Z') / 1000;
    const zones = [];
    for (const s of [winter, winter, summer, summer, winter]) {
      const z = await localZone(s);
      zones.push(z.name + '=' + z.utoff);
    }
    console.log(zones.join(' '));
  `;
  const run = (tz: string) => spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, TZ: tz } });
  const r = run('Europe/Berlin');
  assert.equal(r.status, 0, r.stderr);
  if (r.stdout.trim() === 'UTC=0 UTC=0 UTC=0 UTC=0 UTC=0') return t.skip('no Europe/Berlin zone data on this machine');
  assert.equal(r.stdout.trim(), 'CET=3600 CET=3600 CEST=7200 CEST=7200 CET=3600');
  // No zone file (Go's rule): UTC.
  assert.equal(run('Nowhere/Atlantis').stdout.trim(), 'UTC=0 UTC=0 UTC=0 UTC=0 UTC=0');
});

test('clocksources: every one labelled by its place in the sorted listing; a bad file fails the collector naming it', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nts-clocksource-'));
  const cs = (n: string, available: string, current: string) => {
    mkdirSync(path.join(dir, 'devices', 'system', 'clocksource', n), { recursive: true });
    writeFileSync(path.join(dir, 'devices', 'system', 'clocksource', n, 'available_clocksource'), available);
    writeFileSync(path.join(dir, 'devices', 'system', 'clocksource', n, 'current_clocksource'), current);
  };
  try {
    cs('clocksource0', 'tsc hpet acpi_pm \n', 'tsc\n');
    cs('clocksource1', 'hpet\n', 'hpet\n');
    const m = await collectSeries(time, { roots: { sysfs: dir } });
    assert.deepEqual(
      [...familySeries(m, 'node_time_clocksource_available_info').keys()],
      [
        'node_time_clocksource_available_info{clocksource="tsc",device="0"}',
        'node_time_clocksource_available_info{clocksource="hpet",device="0"}',
        'node_time_clocksource_available_info{clocksource="acpi_pm",device="0"}',
        'node_time_clocksource_available_info{clocksource="hpet",device="1"}',
      ],
    );
    assert.deepEqual(
      [...familySeries(m, 'node_time_clocksource_current_info').keys()],
      ['node_time_clocksource_current_info{clocksource="tsc",device="0"}', 'node_time_clocksource_current_info{clocksource="hpet",device="1"}'],
    );
    cs('clocksource1', 'hpet\n', 'hpet tsc\n');
    await assert.rejects(collectSeries(time, { roots: { sysfs: dir } }), /clocksource1\/current_clocksource/);
    rmSync(path.join(dir, 'devices', 'system', 'clocksource', 'clocksource0', 'available_clocksource'));
    await assert.rejects(collectSeries(time, { roots: { sysfs: dir } }), /ENOENT|no such file/i);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
