/**
 * The textfile collector against Debian's node_exporter 1.5.0 on the same .prom file: every
 * sample line the same — names, label order (a histogram's le and a summary's quantile last),
 * le/quantile spelling and values (compared as numbers: Go writes 1e+06 where we may write
 * 1000000).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { nodeExporterMissing, scrapeBoth } from '../helpers/node-exporter.js';

const PROM = [
  '# HELP job_latency_seconds How long jobs took.',
  '# TYPE job_latency_seconds histogram',
  'job_latency_seconds_bucket{queue="b",le="0.00001"} 1',
  'job_latency_seconds_bucket{queue="b",le="1e6"} 9',
  'job_latency_seconds_bucket{queue="b",le="0.5"} 4',
  'job_latency_seconds_sum{queue="b"} 17.25',
  'job_latency_seconds_count{queue="b"} 10',
  'job_latency_seconds_bucket{zone="z",queue="a",le="1"} 2',
  'job_latency_seconds_bucket{zone="z",queue="a",le="+Inf"} 3',
  'job_latency_seconds_sum{zone="z",queue="a"} 2.5',
  'job_latency_seconds_count{zone="z",queue="a"} 3',
  '# TYPE rpc_duration_seconds summary',
  'rpc_duration_seconds{method="put",quantile="0.99"} 0.3',
  'rpc_duration_seconds{method="put",quantile="0.5"} 0.1',
  'rpc_duration_seconds_sum{method="put"} 50',
  'rpc_duration_seconds_count{method="put"} 400',
  'rpc_duration_seconds{zeta="1",method="get",quantile="0.9"} 0.2',
  '# TYPE backups_total counter',
  'backups_total{kind="full"} 3',
  'last_run_timestamp 1.7e9',
  '',
].join('\n');

/** Sample lines of the textfile families: name{labels as written} value-as-number. */
function lines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => /^(job_latency_seconds|rpc_duration_seconds|backups_total|last_run_timestamp)/.test(l))
    .map((l) => {
      const i = l.lastIndexOf(' ');
      return `${l.slice(0, i)} ${Number(l.slice(i + 1))}`;
    });
}

test('textfile: summaries and histograms line for line as node_exporter 1.5.0', { timeout: 60_000 }, async (t) => {
  if (process.platform !== 'linux') return t.skip('Linux only');
  const missing = nodeExporterMissing();
  if (missing !== undefined) return t.skip(missing);
  const dir = mkdtempSync(path.join(tmpdir(), 'nts-textfile-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'jobs.prom'), PROM);
  const { theirs, ours, ourLogs } = await scrapeBoth(t, ['textfile'], { args: [`--collector.textfile.directory=${dir}`] });
  assert.match(ours, /node_textfile_scrape_error 0\n/, ourLogs);
  const want = lines(theirs);
  assert.equal(want.length, 19, theirs); // 1.5.0 served them all
  assert.deepEqual(lines(ours), want);
  for (const type of ['# TYPE job_latency_seconds histogram', '# TYPE rpc_duration_seconds summary']) assert.ok(ours.includes(type), type);
});
