import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { decodeDelimited } from '../helpers/metric-family-proto.js';
import { spawnSync } from 'node:child_process';
import { newDesc, type Collector } from '../../src/collector.js';

const fastValue = newDesc('test_fast_value', 'A fast value.', 'gauge', ['kind']);
const slowValue = newDesc('test_slow_value', 'A slow value.', 'gauge');
const manyValue = newDesc('test_many_value', 'Many values.', 'gauge', ['name']);
import type { WebConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { Scraper } from '../../src/scrape.js';
import { MetricsServer, ownChunks } from '../../src/server/http.js';
import { SelfMetrics } from '../../src/server/self-metrics.js';

const PROMETHEUS_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const BUILD = { version: '1.2.3-test', revision: 'deadbeef', branch: 'main' };

function collectors(): Map<string, Collector> {
  return new Map<string, Collector>([
    ['fast', { collect: async (_ctx, out) => out.add(fastValue, 42, 'fast') }],
    [
      'slow',
      {
        // Ignores the abort signal on purpose: the deadline must hold anyway. unref so a pending
        // timer does not keep the test process alive.
        collect: (_ctx, out) =>
          new Promise((resolve) => {
            setTimeout(() => resolve(out.add(slowValue, 7)), 5_000).unref();
          }),
      },
    ],
    [
      'broken',
      {
        collect: async () => {
          throw new Error('boom');
        },
      },
    ],
  ]);
}

function webConfig(over: Partial<WebConfig> = {}): WebConfig {
  return {
    listenAddresses: [],
    telemetryPath: '/metrics',
    disableExporterMetrics: false,
    maxRequests: 40,
    scrapeTimeoutOffsetMs: 500,
    defaultScrapeTimeoutMs: 3_000,
    systemdSocket: false,
    ...over,
  };
}

interface Started {
  server: MetricsServer;
  port: number;
}

async function start(over: Partial<WebConfig> = {}, exporterMetrics = true, these = collectors()): Promise<Started> {
  const web = webConfig({ ...over, disableExporterMetrics: !exporterMetrics });
  const server = new MetricsServer({
    web,
    scraper: new Scraper(these, silentLogger),
    self: new SelfMetrics(BUILD, exporterMetrics),
    logger: silentLogger,
  });
  const [addr] = await server.listen([{ host: '127.0.0.1', port: 0 }]);
  assert.ok(addr !== undefined);
  return { server, port: addr.port };
}

interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  ms: number;
}

function request(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; agent?: http.Agent } = {}): Promise<Response> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers, agent: opts.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8'), ms: performance.now() - t0 });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const T1 = { 'X-Prometheus-Scrape-Timeout-Seconds': '1' };
const lines = (text: string) => text.split('\n');

let main: Started;

before(async () => {
  main = await start();
});

after(async () => {
  await main.server.close();
});

test('GET /metrics: 200, Prometheus text, collector samples and success', async () => {
  const r = await request(main.port, '/metrics', { headers: T1 });
  assert.equal(r.status, 200, r.text);
  assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  assert.equal(Number(r.headers['content-length']), r.body.length);
  const l = lines(r.text);
  assert.ok(l.includes('test_fast_value{kind="fast"} 42'), r.text);
  assert.ok(l.includes('# TYPE test_fast_value gauge'));
  assert.ok(l.includes('node_scrape_collector_success{collector="broken"} 0'));
  assert.ok(l.includes('node_scrape_collector_success{collector="fast"} 1'));
  assert.ok(l.includes('node_scrape_collector_success{collector="slow"} 0'));
  for (const c of ['broken', 'fast', 'slow']) {
    assert.ok(
      l.some((x) => x.startsWith(`node_scrape_collector_duration_seconds{collector="${c}"} `)),
      `duration for ${c}`,
    );
  }
  assert.ok(
    l.some((x) => x.startsWith('node_exporter_build_info{') && x.includes('version="1.2.3-test"') && x.endsWith(' 1')),
    'build_info',
  );
  assert.ok(
    l.some((x) => x.startsWith('process_')),
    'process_* metrics present by default',
  );
  assert.ok(
    l.some((x) => x.startsWith('promhttp_metric_handler_requests_total{code="200"} ')),
    'request counter present',
  );
});

test('the scrape timeout header bounds the response time; the slow collector fails', async () => {
  const r = await request(main.port, '/metrics', { headers: T1 });
  assert.equal(r.status, 200);
  // The slow collector takes 5 s: an answer well before that did not wait for it.
  assert.ok(r.ms < 3_000, `took ${r.ms.toFixed(0)} ms`);
  const l = lines(r.text);
  assert.ok(l.includes('node_scrape_collector_success{collector="slow"} 0'));
  assert.ok(!r.text.includes('test_slow_value'), 'samples of a collector past the deadline are dropped');
  assert.ok(l.includes('test_fast_value{kind="fast"} 42'), 'the others are still served');
  const dur = l.find((x) => x.startsWith('node_scrape_collector_duration_seconds{collector="slow"} '));
  const seconds = Number(dur?.split(' ')[1]);
  assert.ok(seconds >= 0.3 && seconds < 3, `slow duration ${seconds}`);
});

test('a large body is gzipped as a stream, chunked, with the same content', async (t) => {
  // Over 256 KiB of text: compressed as a stream, not in one call.
  const many: Collector = {
    collect: async (_ctx, out) => {
      for (let i = 0; i < 8000; i++) out.add(manyValue, i, `series-number-${String(i).padStart(6, '0')}`);
    },
  };
  const big = await start({}, false, new Map([['many', many]]));
  t.after(() => big.server.close());
  const headers = { 'Accept-Encoding': 'gzip' };
  const gz = await request(big.port, '/metrics', { headers });
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz.headers['content-length'], undefined);
  assert.equal(gz.headers['transfer-encoding'], 'chunked');
  const unzipped = zlib.gunzipSync(gz.body).toString('utf8');
  assert.ok(unzipped.length > 256 * 1024);
  const plain = await request(big.port, '/metrics');
  const series = (t: string) => t.split('\n').filter((l) => l.startsWith('test_many_value'));
  assert.equal(series(unzipped).length, 8000);
  assert.deepEqual(series(unzipped), series(plain.text));
});

test('concurrent gzipped scrapes each get their own scrape, small bodies and large ones', async (t) => {
  // The server encodes every gzipped text body in the one scratch Buffer it keeps (a body that
  // outgrows it goes on as a stream, the part in the scratch space copied: the next test). Every
  // scrape here has its own value in every series: a body with two values mixed two scrapes.
  let round = 0;
  for (const size of [50, 8000]) {
    const counted: Collector = {
      collect: async (_ctx, out) => {
        const value = ++round;
        // Scrapes finish in turn, each encoded while earlier ones are still being deflated.
        await new Promise((r) => setTimeout(r, value % 4));
        for (let i = 0; i < size; i++) out.add(manyValue, value, `series-number-${String(i).padStart(6, '0')}`);
      },
    };
    const s = await start({}, false, new Map([['counted', counted]]));
    t.after(() => s.server.close());
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    t.after(() => agent.destroy());
    const answers = await Promise.all(Array.from({ length: 12 }, () => request(s.port, '/metrics', { headers: { 'Accept-Encoding': 'gzip' }, agent })));
    const seen = new Set<string>();
    for (const a of answers) {
      assert.equal(a.status, 200);
      const values = new Set(
        zlib
          .gunzipSync(a.body)
          .toString('utf8')
          .split('\n')
          .filter((l) => l.startsWith('test_many_value'))
          .map((l) => l.slice(l.lastIndexOf(' ') + 1)),
      );
      assert.equal(values.size, 1, `one scrape's values per body (${size} series): ${[...values].slice(0, 5).join(', ')}`);
      seen.add([...values][0] ?? '');
    }
    assert.equal(seen.size, answers.length, 'every answer is a scrape of its own');
  }
});

test('a gzipped body that outgrows the scratch space leaves no chunk in it', () => {
  const scratch = Buffer.alloc(16, 0x61);
  const other = Buffer.from('other');
  const owned = ownChunks([scratch.subarray(0, 8), other, 'text'], scratch);
  scratch.fill(0x62);
  assert.deepEqual(
    owned.map((c) => c.toString()),
    ['aaaaaaaa', 'other', 'text'],
  );
  assert.equal(owned[1], other, 'chunks elsewhere are kept as they are');
  assert.deepEqual(ownChunks([other], undefined), [other]);
});

test('every answer has one Date header, for now', async () => {
  for (const path of ['/metrics?collect[]=fast', '/', '/nowhere']) {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const r = await request(main.port, path);
    const after = Date.now();
    const date = r.headers.date;
    assert.equal(typeof date, 'string', path);
    assert.match(String(date), /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    const t = Date.parse(String(date));
    assert.ok(t >= before && t <= after, `${date} between ${new Date(before).toUTCString()} and ${new Date(after).toUTCString()}`);
  }
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(main.port, '127.0.0.1', () => socket.end('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
  assert.equal(raw.split('\r\n\r\n')[0]?.match(/^date:/gim)?.length, 1, raw.slice(0, 300));
});

test('gzip when asked, with the same content', async () => {
  const headers = { 'Accept-Encoding': 'gzip' };
  const gz = await request(main.port, '/metrics?collect[]=fast&collect[]=broken', { headers });
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.match(String(gz.headers.vary), /Accept-Encoding/i);
  // A small body is compressed in one call: its length is known.
  assert.equal(Number(gz.headers['content-length']), gz.body.length);
  const unzipped = zlib.gunzipSync(gz.body).toString('utf8');
  const plain = await request(main.port, '/metrics?collect[]=fast&collect[]=broken');
  assert.equal(plain.headers['content-encoding'], undefined);
  // Lines that cannot change between two scrapes (the process metrics can).
  const stable = (t: string) => lines(t).filter((l) => l.startsWith('test_') || l.startsWith('node_scrape_collector_success') || l.startsWith('node_exporter_build_info'));
  assert.ok(stable(unzipped).includes('test_fast_value{kind="fast"} 42'), unzipped);
  assert.equal(stable(unzipped).length, 4);
  assert.deepEqual(stable(unzipped), stable(plain.text));
});

test('OpenMetrics when Prometheus asks for it', async () => {
  const r = await request(main.port, '/metrics?exclude[]=slow', { headers: { Accept: PROMETHEUS_ACCEPT } });
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-type']), /^application\/openmetrics-text; version=1\.0\.0/);
  assert.ok(r.text.endsWith('# EOF\n'), JSON.stringify(r.text.slice(-30)));
  assert.ok(lines(r.text).includes('test_fast_value{kind="fast"} 42.0'), 'OpenMetrics spells integral values with .0, as client_golang');
  assert.ok(lines(r.text).includes('# TYPE promhttp_metric_handler_requests counter'), 'counters named without _total in TYPE');
});

test('protobuf delimited when asked first (Prometheus with native histograms), decoded independently', async () => {
  const accept =
    'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4';
  for (const gzip of [false, true]) {
    const r = await request(main.port, '/metrics?collect[]=fast', { headers: { Accept: accept, ...(gzip ? { 'Accept-Encoding': 'gzip' } : {}) } });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited; escaping=underscores');
    const families = decodeDelimited(gzip ? zlib.gunzipSync(r.body) : r.body);
    const fast = families.find((f) => f.name === 'test_fast_value');
    assert.deepEqual(fast?.metric, [{ label: [{ name: 'kind', value: 'fast' }], gauge: { value: 42 } }]);
    assert.equal(families.find((f) => f.name === 'node_scrape_collector_success')?.type, 'GAUGE');
    const names = families.map((f) => f.name);
    assert.deepEqual(names, [...names].sort(), 'families sorted by name');
  }
});

test('plain Accept: text/plain gets the Prometheus format', async () => {
  const r = await request(main.port, '/metrics?collect[]=fast', { headers: { Accept: 'text/plain' } });
  assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  assert.ok(!r.text.includes('# EOF'));
});

test('HEAD /metrics: headers, no body', async () => {
  const r = await request(main.port, '/metrics?collect[]=fast', { method: 'HEAD' });
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  assert.ok(Number(r.headers['content-length']) > 0);
  assert.equal(r.body.length, 0);
});

test('methods other than GET/HEAD → 405 with Allow', async (t) => {
  for (const method of ['POST', 'PUT', 'DELETE']) {
    await t.test(method, async () => {
      const r = await request(main.port, '/metrics', { method });
      assert.equal(r.status, 405);
      assert.match(String(r.headers.allow), /GET/);
      assert.match(String(r.headers.allow), /HEAD/);
    });
  }
});

test('unknown path → 404', async () => {
  for (const path of ['/nope', '/metrics/', '/metricsx', '/favicon.ico']) {
    const r = await request(main.port, path);
    assert.equal(r.status, 404, path);
  }
});

test('landing page at / links to the telemetry path', async () => {
  const r = await request(main.port, '/');
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-type']), /^text\/html/);
  assert.match(r.text, /<a href="\/metrics">/);
});

test('landing page follows a custom telemetry path, and the old one is gone', async () => {
  const s = await start({ telemetryPath: '/node/metrics' });
  try {
    const landing = await request(s.port, '/');
    assert.match(landing.text, /<a href="\/node\/metrics">/);
    const metrics = await request(s.port, '/node/metrics?collect[]=fast');
    assert.equal(metrics.status, 200);
    assert.ok(metrics.text.includes('test_fast_value'));
    assert.equal((await request(s.port, '/metrics')).status, 404);
  } finally {
    await s.server.close();
  }
});

test('collect[] and exclude[] select collectors', async (t) => {
  const successes = (text: string) =>
    lines(text)
      .filter((l) => l.startsWith('node_scrape_collector_success{'))
      .map((l) => /collector="([^"]+)"/.exec(l)?.[1]);
  await t.test('collect[]=fast', async () => {
    const r = await request(main.port, '/metrics?collect[]=fast');
    assert.equal(r.status, 200);
    assert.deepEqual(successes(r.text), ['fast']);
    assert.ok(r.ms < 3_000, 'no wait for slow (5 s)');
  });
  await t.test('collect[]=fast&collect[]=broken', async () => {
    const r = await request(main.port, '/metrics?collect%5B%5D=fast&collect%5B%5D=broken');
    assert.deepEqual(successes(r.text), ['broken', 'fast']);
  });
  await t.test('exclude[]=slow', async () => {
    const r = await request(main.port, '/metrics?exclude[]=slow');
    assert.equal(r.status, 200);
    assert.deepEqual(successes(r.text), ['broken', 'fast']);
    assert.ok(!r.text.includes('collector="slow"'));
    assert.ok(r.ms < 3_000, 'no wait for slow (5 s)');
  });
  await t.test('collect[]=nope → 400 naming it', async () => {
    const r = await request(main.port, '/metrics?collect[]=nope');
    assert.equal(r.status, 400);
    assert.ok(r.text.includes('nope'), r.text);
  });
  await t.test('exclude[]=nope → 400 naming it', async () => {
    const r = await request(main.port, '/metrics?exclude[]=nope');
    assert.equal(r.status, 400);
    assert.ok(r.text.includes('nope'), r.text);
  });
  await t.test('collect[] with exclude[] → 400', async () => {
    const r = await request(main.port, '/metrics?collect[]=fast&exclude[]=slow');
    assert.equal(r.status, 400);
  });
});

test('max requests: a second concurrent scrape gets 503', async () => {
  const s = await start({ maxRequests: 1 });
  try {
    const first = request(s.port, '/metrics', { headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '1.5' } });
    await new Promise((r) => setTimeout(r, 150));
    const second = await request(s.port, '/metrics?collect[]=fast');
    assert.equal(second.status, 503, second.text);
    const done = await first;
    assert.equal(done.status, 200);
    const third = await request(s.port, '/metrics?collect[]=fast');
    assert.equal(third.status, 200, 'the slot is free again');
    assert.ok(lines(third.text).includes('promhttp_metric_handler_requests_total{code="503"} 1'), third.text);
    assert.ok(lines(third.text).includes('promhttp_metric_handler_requests_in_flight 1'), 'the scrape being served counts itself');
  } finally {
    await s.server.close();
  }
});

test('--web.disable-exporter-metrics: no process_/promhttp_, build_info stays', async () => {
  const s = await start({}, false);
  try {
    const r = await request(s.port, '/metrics?collect[]=fast');
    assert.equal(r.status, 200);
    const l = lines(r.text);
    assert.ok(!l.some((x) => x.startsWith('process_') || x.startsWith('nodejs_') || x.startsWith('promhttp_')), r.text);
    assert.ok(!r.text.includes('promhttp_'));
    assert.ok(l.some((x) => x.startsWith('node_exporter_build_info{')));
    assert.ok(l.includes('test_fast_value{kind="fast"} 42'));
  } finally {
    await s.server.close();
  }
});

test('each scrape tells the heap trimmer it ended, with the scrapes still in flight', async () => {
  const ended: number[] = [];
  const server = new MetricsServer({
    web: webConfig(),
    scraper: new Scraper(collectors(), silentLogger),
    self: new SelfMetrics(BUILD, false),
    logger: silentLogger,
    heapTrimmer: { scrapeEnded: (n: number) => ended.push(n), afterStart: () => () => {} },
  });
  const [addr] = await server.listen([{ host: '127.0.0.1', port: 0 }]);
  try {
    assert.equal((await request(addr?.port ?? 0, '/metrics')).status, 200);
    assert.equal((await request(addr?.port ?? 0, '/metrics?collect[]=nope')).status, 400);
    assert.deepEqual(ended, [0]);
  } finally {
    await server.close();
  }
});

test('the server asks for one heap trim after start-up and cancels it when it closes first', async () => {
  const asked: number[] = [];
  let cancelled = 0;
  const server = new MetricsServer({
    web: webConfig(),
    scraper: new Scraper(collectors(), silentLogger),
    self: new SelfMetrics(BUILD, false),
    logger: silentLogger,
    heapTrimmer: {
      scrapeEnded: () => {},
      afterStart: (delayMs: number, inFlight: () => number) => {
        asked.push(delayMs, inFlight());
        return () => cancelled++;
      },
    },
  });
  await server.listen([{ host: '127.0.0.1', port: 0 }]);
  assert.equal(asked.length, 2, 'asked once');
  assert.ok((asked[0] ?? 0) >= 1000, `after start-up has settled (${asked[0]} ms)`);
  assert.equal(asked[1], 0, 'no scrape in flight');
  await server.close();
  assert.equal(cancelled, 1);
});

test('listen on a port in use rejects with EADDRINUSE', async () => {
  const other = new MetricsServer({ web: webConfig(), scraper: new Scraper(collectors(), silentLogger), self: new SelfMetrics(BUILD, false), logger: silentLogger });
  await assert.rejects(other.listen([{ host: '127.0.0.1', port: main.port }]), (err: NodeJS.ErrnoException) => err.code === 'EADDRINUSE');
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test('a failed listen closes the addresses already opened', async () => {
  const port = await freePort();
  const other = new MetricsServer({ web: webConfig(), scraper: new Scraper(collectors(), silentLogger), self: new SelfMetrics(BUILD, false), logger: silentLogger });
  await assert.rejects(
    other.listen([
      { host: '127.0.0.1', port },
      { host: '127.0.0.1', port: main.port },
    ]),
    (err: NodeJS.ErrnoException) => err.code === 'EADDRINUSE',
  );
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(port, '127.0.0.1', resolve);
  });
  await new Promise<void>((r) => probe.close(() => r()));
});

test('close() resolves promptly with an idle keep-alive connection open', async () => {
  const s = await start();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const r = await request(s.port, '/', { agent });
    assert.equal(r.status, 200);
    assert.notEqual(r.headers.connection, 'close');
    const sockets = Object.values(agent.freeSockets).flat();
    assert.equal(sockets.length, 1, 'the keep-alive socket is idle in the agent');
    const t0 = performance.now();
    await s.server.close();
    const ms = performance.now() - t0;
    assert.ok(ms < 2_500, `close took ${ms.toFixed(0)} ms (grace 5 s)`);
  } finally {
    agent.destroy();
  }
});

test('close() waits for an in-flight scrape, then resolves without the grace timeout', async () => {
  const s = await start();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const inFlight = request(s.port, '/metrics', { headers: T1, agent });
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    // The scrape needs ~0.5 s; the default grace (5 s) is far enough above it that a loaded
    // machine cannot make a prompt close look like one that waited out the grace.
    await s.server.close();
    const ms = performance.now() - t0;
    const r = await inFlight;
    assert.equal(r.status, 200, 'the in-flight scrape is answered');
    assert.ok(lines(r.text).includes('test_fast_value{kind="fast"} 42'));
    assert.ok(ms < 2_500, `close took ${ms.toFixed(0)} ms (grace 5 s)`);
  } finally {
    agent.destroy();
  }
});

test('promtool check metrics accepts the whole /metrics output', async (t) => {
  const which = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
  if (which.status !== 0) {
    t.skip('promtool not on PATH (Debian package "prometheus")');
    return;
  }
  const s = await start({}, false);
  try {
    const r = await request(s.port, '/metrics', { headers: T1 });
    const check = spawnSync(which.stdout.trim(), ['check', 'metrics'], { input: r.text, encoding: 'utf8' });
    assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
  } finally {
    await s.server.close();
  }
});
