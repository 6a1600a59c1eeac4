import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type tls from 'node:tls';
import bcrypt from 'bcryptjs';
import { runCli, startExporterProcess, type ExporterProcess } from '../helpers/exporter.js';
import { createPki, hasOpenssl, type TestPki } from '../helpers/certs.js';
import { fixturePath } from '../helpers/repo.js';

const PASSWORD = 's3cret';
const COLLECTORS = ['--collector.disable-defaults', '--collector.loadavg', `--path.procfs=${fixturePath('proc')}`];

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** CN of the certificate the server presented. */
  servedCn: string;
}

/** One request on a fresh connection (agent: false), so every call sees the current TLS config. */
function get(url: string, opts: { ca?: Buffer; auth?: string; cert?: { certFile: string; keyFile: string } } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      url,
      {
        agent: false,
        ca: opts.ca,
        timeout: 5_000,
        ...(opts.auth !== undefined ? { auth: opts.auth } : {}),
        ...(opts.cert !== undefined ? { cert: readFileSync(opts.cert.certFile), key: readFileSync(opts.cert.keyFile) } : {}),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          const peer = (res.socket as tls.TLSSocket).getPeerCertificate?.();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, servedCn: String(peer?.subject?.CN ?? '') });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

const skip = hasOpenssl() ? false : 'openssl is not installed';
let pki: TestPki;
let ca: Buffer;
const client = { certFile: '', keyFile: '' };
const other = { certFile: '', keyFile: '' };
const rogue = { certFile: '', keyFile: '' };
let hash = '';

before(() => {
  if (skip !== false) return;
  pki = createPki();
  ca = readFileSync(pki.caFile);
  pki.issue('server', { cn: 'first', san: 'IP:127.0.0.1,DNS:localhost' });
  pki.issue('server2', { cn: 'second', san: 'IP:127.0.0.1,DNS:localhost' });
  Object.assign(client, pki.issue('client', { cn: 'scraper', san: 'DNS:scraper' }));
  Object.assign(other, pki.issue('other', { cn: 'other', san: 'DNS:other' }));
  Object.assign(rogue, pki.issue('rogue', { cn: 'scraper', san: 'DNS:scraper', rogue: true }));
  // Files the exporter serves, rotated in place by the rotation test.
  copyFileSync(path.join(pki.dir, 'server.pem'), path.join(pki.dir, 'live.pem'));
  copyFileSync(path.join(pki.dir, 'server.key'), path.join(pki.dir, 'live.key'));
  hash = bcrypt.hashSync(PASSWORD, 10);
});
after(() => pki?.cleanup());

function writeConfig(name: string, text: string): string {
  const file = path.join(pki.dir, name);
  writeFileSync(file, text);
  return file;
}

/** The exporter's stderr arrives through a pipe: give a line just logged a moment to show up. */
async function waitForLog(e: ExporterProcess, re: RegExp): Promise<void> {
  for (let i = 0; i < 40 && !re.test(e.logs()); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(e.logs(), re);
}

async function withExporter(config: string, fn: (e: ExporterProcess) => Promise<void>): Promise<void> {
  const e = await startExporterProcess([...COLLECTORS, `--web.config.file=${config}`]);
  try {
    await fn(e);
  } catch (err) {
    throw new Error(`${(err as Error).message}\nexporter output:\n${e.logs()}`, { cause: err });
  } finally {
    await e.stop();
  }
}

test('TLS + basic auth: right password 200, wrong or missing 401 with WWW-Authenticate only, plain HTTP fails', { skip, timeout: 30_000 }, async () => {
  const config = writeConfig(
    'auth.yml',
    `tls_server_config:\n  cert_file: live.pem\n  key_file: live.key\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\nbasic_auth_users:\n  prom: '${hash}'\n`,
  );
  await withExporter(config, async (e) => {
    assert.match(e.base, /^https:\/\//);
    const ok = await get(`${e.base}/metrics`, { ca, auth: `prom:${PASSWORD}` });
    assert.equal(ok.status, 200);
    assert.match(ok.body, /^node_load1 /m);
    assert.equal(ok.headers['x-frame-options'], 'deny');
    // Cached: later scrapes do not pay bcrypt (cost 10 is ~90 ms in JS: 20 would take 1.8 s).
    const start = performance.now();
    for (let i = 0; i < 20; i++) assert.equal((await get(`${e.base}/metrics`, { ca, auth: `prom:${PASSWORD}` })).status, 200);
    assert.ok(performance.now() - start < 1_000);

    for (const auth of ['prom:wrong', 'nobody:s3cret', undefined]) {
      for (const route of ['/metrics', '/', '/nope']) {
        const r = await get(`${e.base}${route}`, { ca, ...(auth !== undefined ? { auth } : {}) });
        assert.equal(r.status, 401, `${String(auth)} ${route}`);
        assert.equal(r.headers['www-authenticate'], 'Basic');
        assert.equal(r.body, 'Unauthorized\n');
      }
    }
    // A client that does not trust our CA refuses the server; one speaking plain HTTP gets no answer.
    await assert.rejects(get(`${e.base}/metrics`), /self[- ]signed|unable to verify|certificate/i);
    await assert.rejects(
      new Promise((resolve, reject) => {
        const req = http.get(`${e.base.replace('https://', 'http://')}/metrics`, { agent: false, timeout: 3_000 }, resolve);
        req.on('error', reject);
        req.on('timeout', () => req.destroy(new Error('timeout')));
      }),
    );
  });
});

test('RequireAndVerifyClientCert + client_allowed_sans: only a CA-signed client cert with an allowed SAN gets in', { skip, timeout: 30_000 }, async () => {
  const config = writeConfig(
    'mtls.yml',
    'tls_server_config:\n  cert_file: live.pem\n  key_file: live.key\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n  client_allowed_sans: [scraper]\n',
  );
  await withExporter(config, async (e) => {
    assert.equal((await get(`${e.base}/metrics`, { ca, cert: client })).status, 200);
    await assert.rejects(get(`${e.base}/metrics`, { ca }), 'no client certificate');
    await assert.rejects(get(`${e.base}/metrics`, { ca, cert: rogue }), 'self-signed client certificate');
    await assert.rejects(get(`${e.base}/metrics`, { ca, cert: other }), 'CA-signed but SAN not allowed');
  });
});

test('the other client_auth_types: RequireAnyClientCert, VerifyClientCertIfGiven, RequestClientCert', { skip, timeout: 30_000 }, async () => {
  // [type, works without a cert, works with a self-signed cert, works with a CA-signed cert]
  const table: [string, boolean, boolean, boolean][] = [
    ['RequireAnyClientCert', false, true, true],
    ['VerifyClientCertIfGiven', true, false, true],
    ['RequestClientCert', true, true, true],
  ];
  for (const [type, none, selfSigned, signed] of table) {
    const config = writeConfig(`${type}.yml`, `tls_server_config:\n  cert_file: live.pem\n  key_file: live.key\n  client_auth_type: ${type}\n  client_ca_file: ca.pem\n`);
    await withExporter(config, async (e) => {
      const outcome = (cert?: { certFile: string; keyFile: string }) =>
        get(`${e.base}/metrics`, { ca, ...(cert !== undefined ? { cert } : {}) }).then(
          (r) => r.status === 200,
          () => false,
        );
      assert.deepEqual([await outcome(), await outcome(rogue), await outcome(other)], [none, selfSigned, signed], type);
    });
  }
});

test('a rotated certificate is served to new connections without a restart', { skip, timeout: 30_000 }, async () => {
  copyFileSync(path.join(pki.dir, 'server.pem'), path.join(pki.dir, 'live.pem'));
  copyFileSync(path.join(pki.dir, 'server.key'), path.join(pki.dir, 'live.key'));
  const config = writeConfig('rotate.yml', 'tls_server_config:\n  cert_file: live.pem\n  key_file: live.key\n');
  await withExporter(config, async (e) => {
    assert.equal((await get(`${e.base}/metrics`, { ca })).servedCn, 'first');
    // Key first, then certificate: in between, handshakes fail (mismatched pair), as with Go.
    copyFileSync(path.join(pki.dir, 'server2.key'), path.join(pki.dir, 'live.key'));
    copyFileSync(path.join(pki.dir, 'server2.pem'), path.join(pki.dir, 'live.pem'));
    const r = await get(`${e.base}/metrics`, { ca });
    assert.equal(r.status, 200);
    assert.equal(r.servedCn, 'second');
    await waitForLog(e, /TLS configuration reloaded/);
    // The file turns bad while running: new connections are refused, the process stays up.
    const good = readFileSync(config, 'utf8');
    writeFileSync(config, `${good}  cert_filse: oops\n`);
    await assert.rejects(get(`${e.base}/metrics`, { ca }));
    await waitForLog(e, /Unable to load the TLS configuration.*unknown key/);
    writeFileSync(config, good);
    assert.equal((await get(`${e.base}/metrics`, { ca })).status, 200);
    assert.equal(e.child.exitCode, null);
    // Client auth switched on while running applies to the next connection too.
    writeFileSync(config, `${good}  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n`);
    await assert.rejects(get(`${e.base}/metrics`, { ca }));
    assert.equal((await get(`${e.base}/metrics`, { ca, cert: client })).status, 200);
  });
});

test('rate_limit is honoured (429 beyond the burst) and headers apply without TLS', { skip, timeout: 30_000 }, async () => {
  const config = writeConfig(
    'rate.yml',
    'rate_limit:\n  interval: 1m\n  burst: 2\nhttp_server_config:\n  headers:\n    X-Content-Type-Options: nosniff\n    Content-Security-Policy: "default-src \'none\'"\n',
  );
  await withExporter(config, async (e) => {
    assert.match(e.base, /^http:\/\//);
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${e.base}/metrics`);
      await r.text();
      statuses.push(r.status);
      if (i === 0) assert.equal(r.headers.get('content-security-policy'), "default-src 'none'");
    }
    assert.deepEqual(statuses, [200, 200, 429]);
  });
});

test('a bad web config file is a clear error and exit 1 before listening', { skip, timeout: 30_000 }, async () => {
  const cases: [string, string, RegExp][] = [
    ['unknown key', 'tls_server_config:\n  cert_filse: live.pem\n', /unknown key \\?"cert_filse\\?"/],
    ['unreadable cert', 'tls_server_config:\n  cert_file: absent.pem\n  key_file: live.key\n', /failed to read cert_file/],
    ['wrong hash format', 'basic_auth_users:\n  prom: plaintext\n', /not a bcrypt hash/],
  ];
  for (const [name, text, message] of cases) {
    const r = await runCli([...COLLECTORS, '--web.listen-address=127.0.0.1:0', `--web.config.file=${writeConfig('bad.yml', text)}`]);
    assert.equal(r.code, 1, name);
    assert.match(r.output, message, name);
    assert.doesNotMatch(r.output, /Listening on/, name);
  }
});

// ---- A real Prometheus (Debian's package) scraping us over TLS with basic auth ----

const PROMETHEUS = '/usr/bin/prometheus';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

test('Prometheus scrapes over TLS with basic auth: up == 1, and up == 0 with a wrong password', { skip, timeout: 60_000 }, async (t) => {
  if (!existsSync(PROMETHEUS)) {
    const reason = `${PROMETHEUS} is missing (Debian package "prometheus"; CI installs it)`;
    process.stdout.write(`# skipping the Prometheus scrape test: ${reason}\n`);
    return t.skip(reason);
  }
  const config = writeConfig('prom-target.yml', `tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\nbasic_auth_users:\n  prom: '${hash}'\n`);
  await withExporter(config, async (e) => {
    const target = e.base.replace('https://', '');
    const work = mkdtempSync(path.join(tmpdir(), 'nets-prom-'));
    const job = (name: string, password: string) => `  - job_name: ${name}
    scheme: https
    tls_config: { ca_file: ${pki.caFile} }
    basic_auth: { username: prom, password: ${password} }
    static_configs: [{ targets: ['${target}'] }]
`;
    writeFileSync(path.join(work, 'prometheus.yml'), `global: { scrape_interval: 1s, scrape_timeout: 1s }\nscrape_configs:\n${job('good', PASSWORD)}${job('bad', 'wrong')}`);
    const port = await freePort();
    const prom = spawn(
      PROMETHEUS,
      [`--config.file=${path.join(work, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(work, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let promLog = '';
    prom.stderr.on('data', (d: Buffer) => (promLog += d.toString()));
    try {
      const deadline = Date.now() + 40_000;
      let up = new Map<string, string>();
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=up`);
          const json = (await res.json()) as { data?: { result?: { metric: { job: string }; value: [number, string] }[] } };
          up = new Map((json.data?.result ?? []).map((r) => [r.metric.job, r.value[1]]));
          if (up.get('good') === '1' && up.has('bad')) break;
        } catch {
          // Prometheus is still starting.
        }
      }
      assert.equal(up.get('good'), '1', `Prometheus log:\n${promLog}`);
      assert.equal(up.get('bad'), '0', `Prometheus log:\n${promLog}`);
    } finally {
      prom.kill('SIGTERM');
      await new Promise((r) => (prom.exitCode !== null ? r(null) : prom.once('exit', r)));
      rmSync(work, { recursive: true, force: true });
    }
  });
});
