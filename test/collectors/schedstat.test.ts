import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NoDataError } from '../../src/collector.js';
import { schedstat } from '../../src/collectors/schedstat.js';
import { buildCollector, collectOnce, collectSeries } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';

test('schedstat: nanoseconds → seconds per online CPU', async () => {
  const m = await collectSeries(schedstat, { roots: { procfs: fixturePath('proc') } });
  assert.equal(m.size, 9);
  assert.equal(m.get('node_schedstat_running_seconds_total{cpu="0"}'), 9123456789012345 / 1e9);
  assert.equal(m.get('node_schedstat_waiting_seconds_total{cpu="1"}'), 987.654321098);
  assert.equal(m.get('node_schedstat_timeslices_total{cpu="3"}'), 700123456);
});

test('schedstat: no file (CONFIG_SCHEDSTATS off) is NoDataError', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'schedstat-'));
  try {
    await assert.rejects(collectOnce(buildCollector(schedstat, { roots: { procfs: dir } })), NoDataError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
