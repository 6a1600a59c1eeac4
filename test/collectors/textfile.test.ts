import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { textfile } from '../../src/collectors/textfile.js';
import { collectOnce, buildCollector, seriesMap } from '../helpers/series.js';
import { startExporterProcess } from '../helpers/exporter.js';
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
  assert.deepEqual(
    mtimes,
    ['backup.prom', 'latency.prom', 'raid.prom'].map((f) => dir('good', f)),
  );
  assert.equal(m.get('backup_runs_total{result="failed",target="db"}'), 3);
  assert.equal(m.get('backup_last_size_bytes{note="",target="files"}'), 1200);
  assert.ok(Number.isNaN(m.get('backup_last_size_bytes{note="said \\"partial\\"\\nthen done",target="C:\\\\share"}')));
  assert.equal(m.get('backup_lag_seconds{}'), Infinity);
  assert.equal(m.get('raid_degraded{array="md0",level=""}'), 0);
  // raid.prom's backup_runs_total has no HELP, so its default differs from backup.prom's: dropped.
  assert.equal(m.has('backup_runs_total{result="ok",target="raid"}'), false);
  assert.deepEqual(
    families.filter((f) => f.name.startsWith('backup_runs')).map((f) => [f.type, f.help]),
    [['counter', 'Backup runs by \\ result,\nper target.']],
  );
  assert.equal(families.find((f) => f.name === 'raid_sync_speed_bytes')?.help, `Metric read from ${dir('good', 'raid.prom')}`);
  assert.deepEqual(
    [...m].filter(([k]) => k.startsWith('job_latency')),
    [
      ['job_latency_seconds{job="nightly",quantile="0.5"}', 12.5],
      ['job_latency_seconds{job="nightly",quantile="0.99"}', 41],
      ['job_latency_seconds_sum{job="nightly"}', 10234.5],
      ['job_latency_seconds_count{job="nightly"}', 812],
    ],
  );
  assert.equal(families.find((f) => f.name === 'job_latency_seconds')?.type, 'summary');
});

test('a bad file sets node_textfile_scrape_error 1 and has no mtime; good files still count', async () => {
  const { m, mtimes, error } = await collect([dir('bad')]);
  assert.equal(error, 1);
  assert.deepEqual(mtimes, [dir('bad', 'ok.prom')]);
  assert.equal(m.get('cron_last_success_timestamp_seconds{job="logrotate"}'), 1715100000);
  // The file with timestamps is dropped whole, the one that parsed before the error line too.
  assert.equal(
    [...m.keys()].some((k) => k.startsWith('smart_') || k.startsWith('apt_') || k.startsWith('node_reboot')),
    false,
  );
});

test('conflicting HELP is a scrape error, conflicting type only drops the family', async () => {
  const { m, error } = await collect([dir('conflict')]);
  assert.equal(error, 1);
  assert.deepEqual(
    [...m].filter(([k]) => !k.startsWith('node_textfile')),
    [
      ['jobs_total{queue="a"}', 5],
      ['queue_depth{queue="a"}', 2],
      ['workers_busy{}', 3],
    ],
  );
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

test('UTF-8 metric and label names (quoted in the file) are read as written', async () => {
  const { families, m, error } = await collect([dir('utf8')]);
  assert.equal(error, 0);
  assert.equal(m.get('backup.duration.seconds{backup.target="db"}'), 93.5);
  assert.equal(m.get('backup.duration.seconds{backup.target="files"}'), 12);
  assert.equal(m.get('queue_depth{host="a",queue.name="mail"}'), 7);
  assert.equal(m.get('room temperature °C{sensor.place="outside \\"north\\""}'), -3.5);
  assert.equal(m.get('http.server.request.duration_bucket{http.route="/api",le="1"}'), 52);
  assert.equal(m.get('http.server.request.duration_count{http.route="/api"}'), 53);
  assert.deepEqual(
    families.filter((f) => !f.name.startsWith('node_textfile')).map((f) => [f.name, f.type, f.help]),
    [
      ['backup.duration.seconds', 'gauge', 'How long the last backup took.'],
      ['http.server.request.duration', 'histogram', 'Request latency.'],
      ['queue_depth', 'gauge', 'Messages waiting.'],
      ['room temperature °C', 'untyped', `Metric read from ${dir('utf8', 'otel.prom')}`],
    ],
  );
});

test('UTF-8 names on /metrics: escaped to underscores by default, quoted for escaping=allow-utf-8', { timeout: 30_000 }, async (t) => {
  const exp = await startExporterProcess(['--collector.disable-defaults', '--collector.textfile', `--${FLAG}=${dir('utf8')}`]);
  t.after(() => exp.stop());
  const scrape = async (accept?: string) => {
    const res = await fetch(`${exp.base}/metrics`, accept === undefined ? {} : { headers: { accept } });
    const body = await res.text();
    // The fixture's families only: not node_*, nor the exporter's own metrics.
    const lines = body.split('\n').filter((l) => /^(# (HELP|TYPE) )?\{?"?(backup|http[._]server|queue|room)/.test(l));
    return { contentType: res.headers.get('content-type'), lines, scrapeError: /^node_textfile_scrape_error 0$/m.test(body) };
  };
  const source = `Metric read from ${dir('utf8', 'otel.prom')}`;

  const escaped = await scrape();
  assert.equal(escaped.contentType, 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores');
  assert.ok(escaped.scrapeError);
  assert.deepEqual(escaped.lines, [
    '# HELP backup_duration_seconds How long the last backup took.',
    '# TYPE backup_duration_seconds gauge',
    'backup_duration_seconds{backup_target="db"} 93.5',
    'backup_duration_seconds{backup_target="files"} 12',
    '# HELP http_server_request_duration Request latency.',
    '# TYPE http_server_request_duration histogram',
    'http_server_request_duration_bucket{http_route="/api",le="0.1"} 40',
    'http_server_request_duration_bucket{http_route="/api",le="1"} 52',
    'http_server_request_duration_bucket{http_route="/api",le="+Inf"} 53',
    'http_server_request_duration_sum{http_route="/api"} 17.5',
    'http_server_request_duration_count{http_route="/api"} 53',
    '# HELP queue_depth Messages waiting.',
    '# TYPE queue_depth gauge',
    'queue_depth{host="a",queue_name="mail"} 7',
    `# HELP room_temperature__C ${source}`,
    '# TYPE room_temperature__C untyped',
    'room_temperature__C{sensor_place="outside \\"north\\""} -3.5',
  ]);

  const utf8 = await scrape('text/plain;version=0.0.4;escaping=allow-utf-8');
  assert.equal(utf8.contentType, 'text/plain; version=0.0.4; charset=utf-8; escaping=allow-utf-8');
  assert.deepEqual(utf8.lines, [
    '# HELP "backup.duration.seconds" How long the last backup took.',
    '# TYPE "backup.duration.seconds" gauge',
    '{"backup.duration.seconds","backup.target"="db"} 93.5',
    '{"backup.duration.seconds","backup.target"="files"} 12',
    '# HELP "http.server.request.duration" Request latency.',
    '# TYPE "http.server.request.duration" histogram',
    '{"http.server.request.duration_bucket","http.route"="/api",le="0.1"} 40',
    '{"http.server.request.duration_bucket","http.route"="/api",le="1"} 52',
    '{"http.server.request.duration_bucket","http.route"="/api",le="+Inf"} 53',
    '{"http.server.request.duration_sum","http.route"="/api"} 17.5',
    '{"http.server.request.duration_count","http.route"="/api"} 53',
    '# HELP queue_depth Messages waiting.',
    '# TYPE queue_depth gauge',
    'queue_depth{host="a","queue.name"="mail"} 7',
    `# HELP "room temperature °C" ${source}`,
    '# TYPE "room temperature °C" untyped',
    '{"room temperature °C","sensor.place"="outside \\"north\\""} -3.5',
  ]);
});
