import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runit } from '../../src/collectors/runit.js';
import { createLogger } from '../../src/logger.js';
import { buildCollector, collectOnce, collectSeries, familySeries, seriesMap } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';
import { encodeRunitStatus } from '../helpers/runit-status.js';

const SERVICE_DIR = fixturePath('runit', 'service');
const lbl = (service: string): string => `{service="${service}",supervisor="runit"}`;

type LogLine = { level: string; msg: string; service?: string; err?: string };

test('runit: the fixture service directory', async () => {
  const m = await collectSeries(runit, { options: { 'collector.runit.servicedir': SERVICE_DIR } });
  // not-started (no supervise/), empty-status and the README file are left out.
  const services = ['cron', 'getty-tty1', 'longstatus', 'nginx-worker', 'sshd'];
  assert.deepEqual(familySeries(m, 'node_service_state'), new Map(services.map((s, i) => [`node_service_state${lbl(s)}`, [0, 1, 1, 2, 1][i]!])));
  assert.deepEqual(familySeries(m, 'node_service_desired_state'), new Map(services.map((s, i) => [`node_service_desired_state${lbl(s)}`, [0, 1, 1, 1, 1][i]!])));
  // Only supervise/down counts (nginx-worker); cron's runit-style ./down does not, as upstream.
  assert.deepEqual(familySeries(m, 'node_service_normal_state'), new Map(services.map((s, i) => [`node_service_normal_state${lbl(s)}`, [1, 1, 1, 0, 1][i]!])));
  assert.deepEqual(
    familySeries(m, 'node_service_state_last_change_timestamp_seconds'),
    new Map(services.map((s, i) => [`node_service_state_last_change_timestamp_seconds${lbl(s)}`, [1_732_451_234, 1_732_440_000, 1_700_000_000, 1_732_452_000, 1_732_450_000][i]!])),
  );
  assert.equal(m.size, 20);
});

test('runit: families are all gauges', async () => {
  const families = await collectOnce(buildCollector(runit, { options: { 'collector.runit.servicedir': SERVICE_DIR } }));
  assert.deepEqual(
    families.map((f) => [f.name, f.type]),
    [
      ['node_service_state', 'gauge'],
      ['node_service_desired_state', 'gauge'],
      ['node_service_normal_state', 'gauge'],
      ['node_service_state_last_change_timestamp_seconds', 'gauge'],
    ],
  );
});

test('runit: a missing service directory fails the collector', async () => {
  const missing = fixturePath('runit', 'no-such-dir');
  await assert.rejects(collectOnce(buildCollector(runit, { options: { 'collector.runit.servicedir': missing } })), (err: NodeJS.ErrnoException) => {
    return err.code === 'ENOENT' && err.message.includes(missing);
  });
});

test('runit: the path is used as given, not under --path.rootfs', async () => {
  const m = await collectSeries(runit, { roots: { rootfs: '/nonexistent-root' }, options: { 'collector.runit.servicedir': SERVICE_DIR } });
  assert.equal(m.get(`node_service_state${lbl('sshd')}`), 1);
});

test('runit: warns it is deprecated; a short status skips that service with a debug line', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'runit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, bytes] of [
    ['good', encodeRunitStatus({ changedAt: 1_000, pid: 3, want: 'u', state: 1 })],
    ['short', encodeRunitStatus({ changedAt: 1_000, state: 1 }).subarray(0, 12)],
  ] as const) {
    mkdirSync(path.join(dir, name, 'supervise'), { recursive: true });
    writeFileSync(path.join(dir, name, 'supervise', 'status'), bytes);
  }
  // A status that is a directory: unreadable, skipped too.
  mkdirSync(path.join(dir, 'weird', 'supervise', 'status'), { recursive: true });
  const lines: LogLine[] = [];
  const logger = createLogger('debug', 'json', (line) => void lines.push(JSON.parse(line) as LogLine));
  const collector = buildCollector(runit, { options: { 'collector.runit.servicedir': dir }, logger });
  assert.ok(lines.some((l) => l.level === 'warn' && /deprecated/.test(l.msg)));
  const m = seriesMap(await collectOnce(collector));
  assert.deepEqual([...familySeries(m, 'node_service_state').keys()], [`node_service_state${lbl('good')}`]);
  const skipped = lines.filter((l) => l.level === 'debug' && /couldn't get/.test(l.msg));
  assert.deepEqual(skipped.map((l) => l.service).sort(), ['short', 'weird']);
  assert.match(String(skipped.find((l) => l.service === 'short')?.err), /12 bytes, want 20/);
});

test('runit: an empty flag value means /etc/service, as upstream', async () => {
  // Only checks which directory is asked for: /etc/service is absent here or holds real services.
  const collector = buildCollector(runit, { options: { 'collector.runit.servicedir': '' } });
  await collectOnce(collector).then(
    () => undefined,
    (err: NodeJS.ErrnoException) => assert.match(err.message, /\/etc\/service/),
  );
});
