import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monotonicMs } from '../../src/clock.js';
import { ConfigError, type Collector } from '../../src/collector.js';
import { processInfos, supervisord, supervisordDefinition } from '../../src/collectors/supervisord.js';
import { createLogger } from '../../src/logger.js';
import { buildMethodCall, parseMethodResponse } from '../../src/supervisord/xmlrpc.js';
import { faultResponse, processInfoResponse, SAMPLE_PROCESSES, startFakeSupervisord } from '../helpers/fake-supervisord.js';
import { freePort } from '../helpers/node-exporter.js';
import { buildCollector, collectOnce, seriesMap, collectWith } from '../helpers/series.js';

const FLAG = 'collector.supervisord.url';
const withUrl = (url: string) => ({ options: { [FLAG]: url }, explicit: [FLAG] });
const lbl = (name: string, group: string): string => `{group=${JSON.stringify(group)},name=${JSON.stringify(name)}}`;

/** What SAMPLE_PROCESSES must give: state, exit status, up, start time (live ones only). */
const EXPECTED = new Map<string, number>();
for (const p of SAMPLE_PROCESSES) {
  const l = lbl(p.name, p.group);
  const live = [10, 20, 40].includes(p.state);
  EXPECTED.set(`node_supervisord_state${l}`, p.state);
  EXPECTED.set(`node_supervisord_exit_status${l}`, p.exitstatus);
  EXPECTED.set(`node_supervisord_up${l}`, live ? 1 : 0);
  if (live) EXPECTED.set(`node_supervisord_start_time_seconds${l}`, p.start);
}

function collectWithin(c: Collector, ms: number, signal = new AbortController().signal) {
  return collectWith(c, { signal, deadline: monotonicMs() + ms });
}

test('supervisord: every process state over HTTP, and the request upstream sends', async (t) => {
  const server = await startFakeSupervisord(t, () => ({ body: processInfoResponse(SAMPLE_PROCESSES) }));
  const families = await collectOnce(buildCollector(supervisord, withUrl(server.url)));
  assert.deepEqual(
    families.map((f) => [f.name, f.type]),
    [
      ['node_supervisord_state', 'gauge'],
      ['node_supervisord_exit_status', 'gauge'],
      ['node_supervisord_up', 'gauge'],
      ['node_supervisord_start_time_seconds', 'counter'],
    ],
  );
  assert.deepEqual(seriesMap(families), EXPECTED);
  const [req] = server.requests;
  assert.equal(server.requests.length, 1);
  assert.equal(req?.method, 'POST');
  assert.equal(req?.url, '/RPC2');
  assert.equal(req?.headers['content-type'], 'text/xml');
  assert.equal(req?.body, buildMethodCall('supervisor.getAllProcessInfo'));
});

test('supervisord: over a unix socket (unix:///path), asking for /RPC2 with Host "unix"', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'supervisord-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const server = await startFakeSupervisord(t, () => ({ body: processInfoResponse(SAMPLE_PROCESSES) }), path.join(dir, 'supervisor.sock'));
  assert.equal(server.url, `unix://${dir}/supervisor.sock`);
  assert.deepEqual(seriesMap(await collectOnce(buildCollector(supervisord, withUrl(server.url)))), EXPECTED);
  assert.equal(server.requests[0]?.url, '/RPC2');
  assert.equal(server.requests[0]?.headers.host, 'unix');
});

test('supervisord: no processes is no series, not an error', async (t) => {
  const server = await startFakeSupervisord(t, () => ({ body: processInfoResponse([]) }));
  assert.equal(seriesMap(await collectOnce(buildCollector(supervisord, withUrl(server.url)))).size, 0);
});

const failures: { name: string; status?: number; body: string; error: RegExp }[] = [
  { name: 'malformed XML', body: '<methodResponse><params><param><value><array><data><value><struct>', error: /malformed response: .*never closed/ },
  { name: 'an HTML error page', body: '<html><body>Bad Gateway</body></html>', error: /malformed response: root element is <html>/ },
  { name: 'a fault', body: faultResponse(1, 'UNKNOWN_METHOD'), error: /fault 1: UNKNOWN_METHOD/ },
  { name: 'HTTP 401', status: 401, body: 'Unauthorized', error: /HTTP 401 Unauthorized/ },
  { name: 'not an array', body: '<methodResponse><params><param><value><int>1</int></value></param></params></methodResponse>', error: /returned int, want an array/ },
  {
    name: 'an entry that is not a struct',
    body: '<methodResponse><params><param><value><array><data><value>x</value></data></array></value></param></params></methodResponse>',
    error: /entry 0 is string, want a struct/,
  },
  { name: 'a member of the wrong type', body: processInfoResponse(SAMPLE_PROCESSES).replace('<int>20</int>', '<string>20</string>'), error: /entry 0: state is string, want int/ },
];

for (const f of failures) {
  test(`supervisord: ${f.name} fails the collector with a clear error`, async (t) => {
    const server = await startFakeSupervisord(t, () => ({ status: f.status ?? 200, body: f.body }));
    await assert.rejects(collectOnce(buildCollector(supervisord, withUrl(server.url))), (err: Error) => {
      assert.match(err.message, /^unable to call supervisord: /);
      assert.match(err.message, f.error);
      return true;
    });
  });
}

test('supervisord: connection refused', async () => {
  const url = `http://127.0.0.1:${await freePort()}/RPC2`;
  await assert.rejects(
    collectOnce(buildCollector(supervisord, withUrl(url))),
    new RegExp(`unable to call supervisord: XML-RPC supervisor.getAllProcessInfo at ${url}: .*ECONNREFUSED`),
  );
});

test('supervisord: a unix socket that is not there', async () => {
  const sock = path.join(tmpdir(), `no-such-supervisor-${process.pid}.sock`);
  await assert.rejects(collectOnce(buildCollector(supervisord, withUrl(`unix://${sock}`))), /ENOENT/);
});

test('supervisord: a server that never answers is given up on at the scrape deadline', async (t) => {
  const server = await startFakeSupervisord(t, () => ({ body: processInfoResponse(SAMPLE_PROCESSES), delayMs: 30_000 }));
  const collector = buildCollector(supervisord, withUrl(server.url));
  const t0 = monotonicMs();
  await assert.rejects(collectWithin(collector, 300), /no answer within \d+ ms/);
  assert.ok(monotonicMs() - t0 < 2000, 'gave up near the deadline');
  // The scrape's own abort signal stops it too.
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 100);
  const t1 = monotonicMs();
  await assert.rejects(collectWithin(collector, 5000, abort.signal), /scrape deadline reached/);
  assert.ok(monotonicMs() - t1 < 2000);
});

test('supervisord: a server that stalls mid-answer is given up on too', async (t) => {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/xml' });
    res.write("<?xml version='1.0'?>\n<methodResponse>\n<params>");
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/RPC2`;
  const t0 = monotonicMs();
  await assert.rejects(collectWithin(buildCollector(supervisord, withUrl(url)), 300), /no answer within \d+ ms/);
  assert.ok(monotonicMs() - t0 < 2000);
});

test('supervisord: user:password in the URL is Basic auth, and errors do not show the password', async (t) => {
  const server = await startFakeSupervisord(t, () => ({ status: 401, body: '' }));
  const url = server.url.replace('http://', 'http://admin:s%40cret@');
  await assert.rejects(collectOnce(buildCollector(supervisord, withUrl(url))), (err: Error) => !err.message.includes('cret') && /admin:xxxxx@/.test(err.message));
  assert.equal(server.requests[0]?.headers.authorization, `Basic ${Buffer.from('admin:s@cret').toString('base64')}`);
});

test('supervisord: SUPERVISORD_URL is used when the flag is not given', async (t) => {
  const server = await startFakeSupervisord(t, () => ({ body: processInfoResponse(SAMPLE_PROCESSES.slice(0, 1)) }));
  const def = supervisordDefinition({ SUPERVISORD_URL: server.url });
  const m = seriesMap(await collectOnce(buildCollector(def, { options: { [FLAG]: 'http://localhost:9001/RPC2' } })));
  assert.equal(m.get(`node_supervisord_up${lbl('nginx', 'web')}`), 1);
  // Given explicitly, the flag wins.
  const refused = `http://127.0.0.1:${await freePort()}/RPC2`;
  await assert.rejects(collectOnce(buildCollector(def, withUrl(refused))), /ECONNREFUSED/);
});

test('supervisord: a URL that can never work is refused at start', () => {
  for (const bad of ['not a url', 'ftp://localhost/RPC2', 'localhost:9001', 'unix:relative.sock', 'unix:///tmp/%zz.sock', 'http://u:%zz@localhost/RPC2']) {
    assert.throws(() => buildCollector(supervisord, withUrl(bad)), ConfigError, bad);
  }
});

test('supervisord: warns that it is deprecated', () => {
  const lines: { level: string; msg: string }[] = [];
  const logger = createLogger('debug', 'json', (line) => void lines.push(JSON.parse(line) as { level: string; msg: string }));
  buildCollector(supervisord, { ...withUrl('http://127.0.0.1:1/RPC2'), logger });
  assert.ok(lines.some((l) => l.level === 'warn' && /deprecated/.test(l.msg)));
});

test('processInfos: a member left out reads as zero or empty', () => {
  const r = parseMethodResponse(
    '<methodResponse><params><param><value><array><data><value><struct><member><name>name</name><value>x</value></member></struct></value></data></array></value></param></params></methodResponse>',
  );
  assert.ok(r.kind === 'value');
  assert.deepEqual(processInfos(r.value), [{ name: 'x', group: '', state: 0, stateName: '', exitStatus: 0, start: 0, pid: 0 }]);
});
