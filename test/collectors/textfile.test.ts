import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { textfile } from '../../src/collectors/textfile.js';
import { collectOnce, buildCollector, seriesMap } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';

const dir = (...parts: string[]) => fixturePath('textfile', ...parts);
const FLAG = 'collector.textfile.directory';

async function collect(dirs: string[]) {
  const families = await collectOnce(buildCollector(textfile, { options: { [FLAG]: dirs } }));
  const m = seriesMap(families);
  const mtimes = [...m.keys()].filter((k) => k.startsWith('node_textfile_mtime_seconds')).map((k) => JSON.parse(/file=("[^"]*")/.exec(k)?.[1] ?? '""') as string);
  return { families, m, mtimes, error: m.get('node_textfile_scrape_error{}') };
}

test('default (no directory): only node_textfile_scrape_error 0', async () => {
  const { m } = await collect(['']);
  assert.deepEqual([...m], [['node_textfile_scrape_error{}', 0]]);
});

test('good files: metrics, types, padded labels, mtimes, summaries; other files left out', async () => {
  const { families, m, mtimes, error } = await collect([dir('good')]);
  assert.equal(error, 0);
  assert.deepEqual(mtimes, ['backup.prom', 'latency.prom', 'raid.prom'].map((f) => dir('good', f)));
  assert.equal(m.get('backup_runs_total{result="failed",target="db"}'), 3);
  assert.equal(m.get('backup_last_size_bytes{note="",target="files"}'), 1200);
  assert.ok(Number.isNaN(m.get('backup_last_size_bytes{note="said \\"partial\\"\\nthen done",target="C:\\\\share"}')));
  assert.equal(m.get('backup_lag_seconds{}'), Infinity);
  assert.equal(m.get('raid_degraded{array="md0",level=""}'), 0);
  // raid.prom's backup_runs_total has no HELP, so its default differs from backup.prom's: dropped.
  assert.equal(m.has('backup_runs_total{result="ok",target="raid"}'), false);
  assert.deepEqual(families.filter((f) => f.name.startsWith('backup_runs')).map((f) => [f.type, f.help]), [['counter', 'Backup runs by \\ result,\nper target.']]);
  assert.equal(families.find((f) => f.name === 'raid_sync_speed_bytes')?.help, `Metric read from ${dir('good', 'raid.prom')}`);
  assert.deepEqual([...m].filter(([k]) => k.startsWith('job_latency')), [
    ['job_latency_seconds{job="nightly",quantile="0.5"}', 12.5],
    ['job_latency_seconds{job="nightly",quantile="0.99"}', 41],
    ['job_latency_seconds_sum{job="nightly"}', 10234.5],
    ['job_latency_seconds_count{job="nightly"}', 812],
  ]);
  assert.equal(families.find((f) => f.name === 'job_latency_seconds')?.type, 'summary');
});

test('a bad file sets node_textfile_scrape_error 1 and has no mtime; good files still count', async () => {
  const { m, mtimes, error } = await collect([dir('bad')]);
  assert.equal(error, 1);
  assert.deepEqual(mtimes, [dir('bad', 'ok.prom')]);
  assert.equal(m.get('cron_last_success_timestamp_seconds{job="logrotate"}'), 1715100000);
  // The file with timestamps is dropped whole, the one that parsed before the error line too.
  assert.equal([...m.keys()].some((k) => k.startsWith('smart_') || k.startsWith('apt_') || k.startsWith('node_reboot')), false);
});

test('conflicting HELP is a scrape error, conflicting type only drops the family', async () => {
  const { m, error } = await collect([dir('conflict')]);
  assert.equal(error, 1);
  assert.deepEqual([...m].filter(([k]) => !k.startsWith('node_textfile')), [
    ['jobs_total{queue="a"}', 5],
    ['queue_depth{queue="a"}', 2],
    ['workers_busy{}', 3],
  ]);
});

test('a directory that does not exist is an error; globs expand; repeatable', async () => {
  assert.equal((await collect([dir('nonexistent')])).error, 1);
  const both = await collect([dir('g*'), dir('co*')]);
  assert.equal(both.mtimes.length, 6);
  assert.equal(both.error, 1); // conflict/ has its HELP conflict
});

test('mtime is the file modification time in whole seconds', async () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'nts-textfile-'));
  try {
    const file = path.join(tmp, 'x.prom');
    writeFileSync(file, 'x 1\n');
    utimesSync(file, 1700000000.75, 1700000000.75);
    const { m } = await collect([`${tmp}/`]);
    assert.equal(m.get(`node_textfile_mtime_seconds{file=${JSON.stringify(file)}}`), 1700000000);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
