import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startExporterProcess, type ExporterProcess } from '../helpers/exporter.js';
import { FIXTURE_COLLECTOR_ARGS } from '../helpers/fixture-exporter.js';

/**
 * A real Prometheus (Debian's 2.42) scrapes the exporter in each of the three formats it can
 * negotiate: OpenMetrics (its default), the protobuf delimited format (what it asks for first
 * with --enable-feature=native-histograms) and the classic text format (2.42 has no
 * scrape_protocols setting, so a proxy in this test asks for text/plain on its behalf). Each
 * job must be up with the same number of series. Every request goes through a proxy here that
 * records the format actually served, so a fallback to text cannot pass for protobuf.
 */
const PROMETHEUS = '/usr/bin/prometheus';

interface Proxy {
  port: number;
  served: Set<string>;
  close(): Promise<void>;
}

function startProxy(target: string, accept?: string): Promise<Proxy> {
  const served = new Set<string>();
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers, host: target, ...(accept === undefined ? {} : { accept }) };
    const up = http.request(`http://${target}${req.url ?? '/'}`, { method: req.method, headers }, (r) => {
      served.add(String(r.headers['content-type']));
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        served,
        // Prometheus keeps scraping over kept-alive connections: close them too, or close()
        // waits for ever (it hung the test now and then).
        close: () =>
          new Promise((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    });
  });
}

async function query(port: number, q: string): Promise<Map<string, number>> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`);
  const json = (await res.json()) as { data?: { result?: { metric: { job?: string }; value: [number, string] }[] } };
  return new Map((json.data?.result ?? []).map((r) => [r.metric.job ?? '', Number(r.value[1])]));
}

/** Starts a Prometheus scraping `jobs` (name → port) every second; resolves its port. */
function startPrometheus(work: string, name: string, jobs: Record<string, number>, flags: string[]): { port: Promise<number>; log: () => string } {
  const dir = path.join(work, name);
  const scrape = Object.entries(jobs)
    .map(([job, port]) => `  - job_name: ${job}\n    static_configs: [{ targets: ['127.0.0.1:${port}'] }]\n`)
    .join('');
  const config = path.join(work, `${name}.yml`);
  writeFileSync(config, `global: { scrape_interval: 1s, scrape_timeout: 1s }\nscrape_configs:\n${scrape}`);
  let log = '';
  const port = new Promise<number>((resolve) => {
    const s = http.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const started = port.then((p) => {
    const c = spawn(PROMETHEUS, [`--config.file=${config}`, `--storage.tsdb.path=${dir}`, `--web.listen-address=127.0.0.1:${p}`, ...flags], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    c.stderr.on('data', (d: Buffer) => (log += d.toString()));
    procs.push(c);
    return p;
  });
  return { port: started, log: () => log };
}

const procs: ChildProcess[] = [];
let exporter: ExporterProcess | undefined;
let work = '';

before(async () => {
  if (!existsSync(PROMETHEUS)) return;
  work = mkdtempSync(path.join(tmpdir(), 'nts-prom-formats-'));
  exporter = await startExporterProcess(FIXTURE_COLLECTOR_ARGS);
});

after(async () => {
  for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
  await exporter?.stop();
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

test('Prometheus 2.42 scrapes OpenMetrics, protobuf and text: up == 1 and the same series count in each', { timeout: 300_000 }, async (t) => {
  if (exporter === undefined) {
    const reason = `${PROMETHEUS} is missing (Debian package "prometheus"; CI installs it)`;
    process.stdout.write(`# skipping: ${reason}\n`);
    return t.skip(reason);
  }
  const target = exporter.base.replace('http://', '');
  const om = await startProxy(target);
  const pb = await startProxy(target);
  const text = await startProxy(target, 'text/plain;version=0.0.4');
  try {
    // Native histograms on: Prometheus asks for protobuf first. The other instance asks for
    // OpenMetrics first (its default) and, through the rewriting proxy, for text.
    const plain = startPrometheus(work, 'plain', { openmetrics: om.port, text: text.port }, []);
    const native = startPrometheus(work, 'native', { protobuf: pb.port }, ['--enable-feature=native-histograms']);
    const [plainPort, nativePort] = await Promise.all([plain.port, native.port]);
    let up = new Map<string, number>();
    let series = new Map<string, number>();
    // Generous: two Prometheus servers start on a machine CI shares with other work.
    for (const deadline = Date.now() + 180_000; Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 1000));
      try {
        up = new Map([...(await query(plainPort, 'up')), ...(await query(nativePort, 'up'))]);
        series = new Map([...(await query(plainPort, 'count by (job) ({job=~".+"})')), ...(await query(nativePort, 'count by (job) ({job=~".+"})'))]);
        if (['openmetrics', 'text', 'protobuf'].every((j) => up.get(j) === 1 && (series.get(j) ?? 0) > 1000)) break;
      } catch {
        // Prometheus is still starting.
      }
    }
    const logs = `plain:\n${plain.log()}\nnative:\n${native.log()}`;
    for (const job of ['openmetrics', 'text', 'protobuf']) assert.equal(up.get(job), 1, `${job} is not up; ${logs}`);
    t.diagnostic(`series per job: ${JSON.stringify(Object.fromEntries(series))}`);
    assert.equal(series.get('protobuf'), series.get('text'), 'protobuf and text give the same number of series');
    assert.equal(series.get('openmetrics'), series.get('text'), 'OpenMetrics and text give the same number of series');
    assert.deepEqual(
      [...om.served].map((c) => c.split(';')[0]),
      ['application/openmetrics-text'],
    );
    assert.deepEqual(
      [...pb.served].map((c) => c.split(';')[0]),
      ['application/vnd.google.protobuf'],
    );
    assert.deepEqual(
      [...text.served].map((c) => c.split(';')[0]),
      ['text/plain'],
    );
  } finally {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
    await Promise.all([om.close(), pb.close(), text.close()]);
  }
});
