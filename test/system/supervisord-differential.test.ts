/**
 * Differential test of the supervisord collector against Debian's node_exporter 1.5.0
 * (`prometheus-node-exporter`, or NODE_EXPORTER_BIN): both ask the same fake supervisord, on
 * 127.0.0.1 and on a unix socket, and must give the same series, label values, values and types.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { parseExposition } from '../helpers/exporter.js';
import { processInfoResponse, SAMPLE_PROCESSES, startFakeSupervisord } from '../helpers/fake-supervisord.js';
import { nodeExporterMissing, scrapeBoth } from '../helpers/node-exporter.js';

/** node_supervisord_* series, labels sorted, → value. */
function series(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of parseExposition(text)) {
    if (!k.startsWith('node_supervisord_')) continue;
    const name = k.slice(0, k.indexOf('{'));
    const labels = [...k.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => `${m[1]}="${m[2]}"`).sort();
    out.set(`${name}{${labels.join(',')}}`, v);
  }
  return out;
}

const types = (text: string): string[] =>
  text
    .split('\n')
    .filter((l) => l.startsWith('# TYPE node_supervisord_'))
    .sort();

async function compare(t: TestContext, socketPath?: string): Promise<void> {
  const server = await startFakeSupervisord(t, () => ({ body: processInfoResponse(SAMPLE_PROCESSES) }), socketPath);
  const { theirs, ours, ourLogs } = await scrapeBoth(t, ['supervisord'], { args: [`--collector.supervisord.url=${server.url}`] });
  assert.ok(ours.includes('node_scrape_collector_success{collector="supervisord"} 1\n'), `supervisord failed:\n${ourLogs}`);
  assert.ok(theirs.includes('node_scrape_collector_success{collector="supervisord"} 1\n'));
  const [a, b] = [series(theirs), series(ours)];
  assert.equal(a.size, SAMPLE_PROCESSES.length * 3 + 4);
  assert.deepEqual(b, a);
  assert.deepEqual(types(ours), types(theirs));
  assert.ok(server.requests.length >= 2, 'both exporters asked the fake server');
  const [first, second] = server.requests;
  assert.equal(second?.body.replace(/\s/g, ''), first?.body.replace(/\s/g, ''), 'the same XML-RPC call');
}

test('supervisord over HTTP: same series as node_exporter 1.5.0', { timeout: 60_000 }, async (t) => {
  const missing = nodeExporterMissing();
  if (missing !== undefined) return t.skip(missing);
  await compare(t);
});

test('supervisord over a unix socket: same series as node_exporter 1.5.0', { timeout: 60_000 }, async (t) => {
  if (process.platform !== 'linux') return t.skip('Linux only');
  const missing = nodeExporterMissing();
  if (missing !== undefined) return t.skip(missing);
  const dir = mkdtempSync(path.join(tmpdir(), 'supervisord-diff-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await compare(t, path.join(dir, 'supervisor.sock'));
});
