import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { ConfigError } from '../../src/collector.js';
import { parseWebConfig } from '../../src/server/web-config.js';
import { WebConfigSource } from '../../src/server/web-config-source.js';
import { BasicAuthVerifier, RateLimiter, parseBasicAuth } from '../../src/server/web-access.js';
import { loadTlsMaterial, subjectAltNames } from '../../src/server/tls.js';
import { createPki, hasOpenssl } from '../helpers/certs.js';

const FILE = '/etc/exporter/web.yml';
const HASH = bcrypt.hashSync('s3cret', 4);

test('parseWebConfig: an empty file (or only comments) is plain HTTP with no auth', () => {
  for (const text of ['', '# nothing\n', '{}\n']) {
    const c = parseWebConfig(text, FILE);
    assert.equal(c.tls, undefined);
    assert.deepEqual(c.http, { http2: true, headers: {} });
    assert.equal(c.users.size, 0);
    assert.deepEqual(c.rateLimit, { intervalMs: 0, burst: 0 });
  }
});

test('parseWebConfig: an alias with no anchor, or an alias bomb, is a ConfigError naming the file', () => {
  // Found by the fuzzer (test/fuzz): the yaml library reports both only when the document is
  // converted, as a ReferenceError, not in doc.errors.
  const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${Array(10).fill('*a').join(', ')}]\nc: [${Array(10).fill('*b').join(', ')}]\n`;
  for (const [text, why] of [
    ['*\0', /alias/i],
    ['basic_auth_users: *users\n', /alias/i],
    [bomb, /alias/i],
  ] as const) {
    assert.throws(
      () => parseWebConfig(text, FILE),
      (err: unknown) => err instanceof ConfigError && err.message.startsWith(`web config file ${FILE}: invalid YAML: `) && why.test(err.message),
      JSON.stringify(text),
    );
  }
});

test('parseWebConfig: every key of tls_server_config, with relative paths under the file', () => {
  const c = parseWebConfig(
    `tls_server_config:
  cert_file: server.crt
  key_file: /abs/server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ca/clients.pem
  client_allowed_sans: [scraper, "spiffe://x/y"]
  min_version: TLS13
  max_version: TLS13
  cipher_suites:
    - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    - TLS_AES_128_GCM_SHA256
  curve_preferences: [X25519, CurveP256]
  prefer_server_cipher_suites: false
`,
    FILE,
  );
  assert.deepEqual(c.tls, {
    cert: '',
    key: '',
    clientCa: '',
    certFile: '/etc/exporter/server.crt',
    keyFile: '/abs/server.key',
    clientCaFile: '/etc/exporter/ca/clients.pem',
    clientAuthType: 'RequireAndVerifyClientCert',
    clientAllowedSans: ['scraper', 'spiffe://x/y'],
    minVersion: 'TLS13',
    maxVersion: 'TLS13',
    cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256'],
    curvePreferences: ['X25519', 'CurveP256'],
    preferServerCipherSuites: false,
  });
});

test('parseWebConfig: inline cert/key/client_ca, defaults, and the legacy RequireClientCert name', () => {
  const c = parseWebConfig('tls_server_config:\n  cert: "PEM1"\n  key: "PEM2"\n  client_ca: "PEM3"\n  client_auth_type: RequireClientCert\n', FILE);
  assert.equal(c.tls?.cert, 'PEM1');
  assert.equal(c.tls?.key, 'PEM2');
  assert.equal(c.tls?.clientCa, 'PEM3');
  assert.equal(c.tls?.clientAuthType, 'RequireAnyClientCert');
  assert.equal(c.tls?.minVersion, 'TLS12');
  assert.equal(c.tls?.maxVersion, 'TLS13');
  assert.equal(c.tls?.preferServerCipherSuites, true);
  assert.equal(c.tls?.clientAllowedSans, undefined);
});

test('parseWebConfig: http_server_config, basic_auth_users and rate_limit', () => {
  const c = parseWebConfig(
    `http_server_config:
  http2: false
  headers:
    X-Frame-Options: deny
    X-Content-Type-Options: nosniff
    X-XSS-Protection: 1
    Strict-Transport-Security: max-age=31536000; includeSubDomains
    Content-Security-Policy: "default-src 'self'"
basic_auth_users:
  prom: '${HASH}'
  other: $2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi
rate_limit:
  interval: 1s
  burst: 5
`,
    FILE,
  );
  assert.deepEqual(c.http, {
    http2: false,
    headers: {
      'X-Frame-Options': 'deny',
      'X-Content-Type-Options': 'nosniff',
      'X-XSS-Protection': '1',
      'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
      'Content-Security-Policy': "default-src 'self'",
    },
  });
  assert.deepEqual([...c.users.keys()], ['prom', 'other']);
  assert.deepEqual(c.rateLimit, { intervalMs: 1000, burst: 5 });
  assert.deepEqual(parseWebConfig('rate_limit:\n  interval: 0\n  burst: 0\n', FILE).rateLimit, { intervalMs: 0, burst: 0 });
  assert.deepEqual(parseWebConfig('rate_limit:\n  interval: 250000000\n  burst: 2\n', FILE).rateLimit, { intervalMs: 250, burst: 2 });
});

test('parseWebConfig: bad files are ConfigErrors naming the problem', () => {
  const cases: [string, string, RegExp][] = [
    ['invalid YAML', 'tls_server_config: [\n', /invalid YAML/],
    ['duplicate key', 'basic_auth_users:\n  a: x\n  a: y\n', /invalid YAML.*unique/s],
    ['junk document', 'just a string\n', /\(top level\): expected a mapping/],
    ['unknown top-level key', 'tls_config:\n  cert_file: a\n', /unknown key "tls_config"/],
    ['unknown TLS key', 'tls_server_config:\n  cert_filse: server.crt\n', /tls_server_config: unknown key "cert_filse"/],
    ['unknown http key', 'http_server_config:\n  http3: true\n', /unknown key "http3"/],
    ['unknown rate_limit key', 'rate_limit:\n  every: 1s\n', /rate_limit: unknown key "every"/],
    ['tls not a map', 'tls_server_config: yes\n', /tls_server_config: expected a mapping/],
    ['missing cert', 'tls_server_config:\n  key_file: k\n', /missing one of cert or cert_file/],
    ['missing key', 'tls_server_config:\n  cert_file: c\n', /missing one of key or key_file/],
    ['both cert forms', 'tls_server_config:\n  cert: x\n  cert_file: c\n  key_file: k\n', /cert or cert_file, not both/],
    ['CA without policy', 'tls_server_config:\n  cert_file: c\n  key_file: k\n  client_ca_file: ca\n', /without a Client Auth Policy/],
    ['bad client auth', 'tls_server_config:\n  cert_file: c\n  key_file: k\n  client_auth_type: Maybe\n', /client_auth_type: unknown value "Maybe"/],
    ['bad version', 'tls_server_config:\n  cert_file: c\n  key_file: k\n  min_version: TLS14\n', /min_version: unknown value "TLS14"/],
    ['min above max', 'tls_server_config:\n  cert_file: c\n  key_file: k\n  min_version: TLS13\n  max_version: TLS12\n', /min_version TLS13 is above max_version TLS12/],
    ['invented cipher', 'tls_server_config:\n  cert_file: c\n  key_file: k\n  cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]\n', /unknown cipher "TLS_RSA_WITH_RC4_128_SHA"/],
    ['invented curve', 'tls_server_config:\n  cert_file: c\n  key_file: k\n  curve_preferences: [CurveP999]\n', /unknown curve "CurveP999"/],
    ['sans not a list', 'tls_server_config:\n  cert_file: c\n  key_file: k\n  client_allowed_sans: one\n', /client_allowed_sans: expected a list/],
    ['bad bool', 'tls_server_config:\n  cert_file: c\n  key_file: k\n  prefer_server_cipher_suites: maybe\n', /expected true or false/],
    ['extra header', 'http_server_config:\n  headers:\n    Content-Type: foo\n', /"Content-Type" can not be configured/],
    ['bad header value', 'http_server_config:\n  headers:\n    X-Frame-Options: allow\n', /X-Frame-Options: invalid value "allow"/],
    ['bad nosniff', 'http_server_config:\n  headers:\n    X-Content-Type-Options: sniff\n', /invalid value "sniff"/],
    ['plain password', 'basic_auth_users:\n  prom: hunter2\n', /basic_auth_users\.prom: not a bcrypt hash/],
    ['truncated hash', `basic_auth_users:\n  prom: '${HASH.slice(0, 40)}'\n`, /basic_auth_users\.prom: not a bcrypt hash/],
    ['unsupported $2x$', `basic_auth_users:\n  prom: '${HASH.replace('$2b$', '$2x$')}'\n`, /not a bcrypt hash/],
    ['cost too low', `basic_auth_users:\n  prom: '${HASH.replace('$04$', '$03$')}'\n`, /not a bcrypt hash/],
    ['users a list', 'basic_auth_users: [a, b]\n', /basic_auth_users: expected a mapping/],
    ['bad interval', 'rate_limit:\n  interval: soon\n  burst: 1\n', /rate_limit.interval: invalid duration "soon"/],
    ['negative burst', 'rate_limit:\n  interval: 1s\n  burst: -1\n', /rate_limit.burst: expected a non-negative integer/],
  ];
  for (const [name, text, message] of cases) {
    assert.throws(
      () => parseWebConfig(text, FILE),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError, name);
        assert.match(err.message, message, name);
        assert.ok(err.message.includes(FILE), `${name}: names the file`);
        return true;
      },
    );
  }
});

test('parseBasicAuth reads the header as Go does', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  assert.deepEqual(parseBasicAuth(`Basic ${b64('prom:pa:ss')}`), { user: 'prom', password: 'pa:ss' });
  assert.deepEqual(parseBasicAuth(`bAsIc ${b64('u:')}`), { user: 'u', password: '' });
  for (const bad of [undefined, '', 'Bearer x', `Basic ${b64('nocolon')}`, 'Basic !!!!', 'Basic']) assert.equal(parseBasicAuth(bad), undefined, String(bad));
});

test('RateLimiter: a token bucket that starts full; burst 0 admits nothing', () => {
  let now = 0;
  const l = new RateLimiter(1000, 2, () => now);
  assert.deepEqual([l.allow(), l.allow(), l.allow()], [true, true, false]);
  now = 999;
  assert.equal(l.allow(), false);
  now = 1000;
  assert.equal(l.allow(), true);
  assert.equal(new RateLimiter(1000, 0, () => now).allow(), false);
});

test('BasicAuthVerifier: right/wrong/unknown user, and a cached success skips bcrypt', async () => {
  const slowHash = bcrypt.hashSync('s3cret', 10);
  const users = new Map([['prom', slowHash]]);
  const v = new BasicAuthVerifier();
  assert.equal(await v.verify(users, 'prom', 'wrong'), false);
  assert.equal(await v.verify(users, 'nobody', 's3cret'), false);
  // The first success pays bcrypt once; 50 cached ones together must cost less than that one
  // (a bound that scales with the machine's speed and load, as bcrypt's cost does).
  const first = performance.now();
  assert.equal(await v.verify(users, 'prom', 's3cret'), true);
  const bcryptMs = performance.now() - first;
  const start = performance.now();
  for (let i = 0; i < 50; i++) assert.equal(await v.verify(users, 'prom', 's3cret'), true);
  const cachedMs = performance.now() - start;
  assert.ok(cachedMs < bcryptMs, `50 cached verifications took ${cachedMs.toFixed(1)} ms, one bcrypt ${bcryptMs.toFixed(1)} ms`);
  // A new hash in the file (password changed) is not satisfied by the old cached success.
  assert.equal(await v.verify(new Map([['prom', HASH]]), 'prom', 's3cret'), true);
  assert.equal(await v.verify(new Map([['prom', bcrypt.hashSync('other', 4)]]), 'prom', 's3cret'), false);
  // A flood of guesses queues at most 32 bcrypt runs; the rest are refused at once, and a
  // cached success still gets in meanwhile.
  const fast = new Map([['prom', HASH]]);
  const flood = Array.from({ length: 40 }, (_, i) => v.verify(fast, 'prom', `guess${i}`));
  assert.equal(await v.verify(fast, 'prom', 's3cret'), true);
  const verdicts = await Promise.all(flood);
  assert.equal(verdicts.filter((x) => x === 'busy').length, 8);
  assert.ok(verdicts.every((x) => x === false || x === 'busy'));
});

test("subjectAltNames: Node's SAN text → the values Go compares", () => {
  assert.deepEqual(subjectAltNames('DNS:one, DNS:two, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, email:a@b.c, URI:spiffe://x/y'), [
    'one',
    'two',
    '127.0.0.1',
    '::1',
    'a@b.c',
    'spiffe://x/y',
  ]);
  assert.deepEqual(subjectAltNames('DNS:"a, b", othername:whatever'), ['a, b']);
  assert.deepEqual(subjectAltNames(undefined), []);
});

const pkiSkip = hasOpenssl() ? false : 'openssl is not installed';

test('loadTlsMaterial and WebConfigSource: bad files are errors, changes are picked up', { skip: pkiSkip }, () => {
  const pki = createPki();
  after(() => pki.cleanup());
  const a = pki.issue('a', { cn: 'a', san: 'DNS:localhost' });
  const b = pki.issue('b', { cn: 'b', san: 'DNS:localhost' });
  const file = path.join(pki.dir, 'web.yml');
  const tlsYaml = (cert: string, key: string, extra = '') => `tls_server_config:\n  cert_file: ${cert}\n  key_file: ${key}\n${extra}`;

  writeFileSync(file, tlsYaml('missing.pem', 'a.key'));
  assert.throws(() => WebConfigSource.load(file), /failed to read cert_file \(.*missing\.pem\)/);
  writeFileSync(file, tlsYaml('a.pem', 'b.key'));
  assert.throws(() => WebConfigSource.load(file), /failed to load the certificate\/key pair/);
  writeFileSync(file, tlsYaml('a.pem', 'a.key', '  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: nowhere.pem\n'));
  assert.throws(() => WebConfigSource.load(file), /failed to read client_ca_file/);
  assert.throws(() => WebConfigSource.load(path.join(pki.dir, 'absent.yml')), /web config file .*absent\.yml/);

  writeFileSync(file, tlsYaml('a.pem', 'a.key', '  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384]\n  curve_preferences: [CurveP256, X25519]\n'));
  const source = WebConfigSource.load(file);
  // Files changed in the last 2 s are re-read each time (mtimes are coarse), but unchanged
  // content keeps the live material.
  const first = source.tls();
  assert.equal(source.tls(), first);
  assert.equal(first?.options.ciphers, 'ECDHE-ECDSA-AES128-GCM-SHA256');
  assert.equal(first?.options.ecdhCurve, 'P-256:X25519');
  assert.equal(first?.options.minVersion, 'TLSv1.2');
  assert.equal(first?.requestCert, false);
  assert.equal(source.tls(), first, 'unchanged files: the same material, nothing re-read');

  // Rotation by rename, as cert-manager / k8s secrets do: new content, new inode.
  copyFileSync(b.certFile, `${a.certFile}.new`);
  copyFileSync(b.keyFile, `${a.keyFile}.new`);
  renameSync(`${a.keyFile}.new`, a.keyFile);
  renameSync(`${a.certFile}.new`, a.certFile);
  const rotated = source.tls();
  assert.notEqual(rotated, first);
  assert.deepEqual(rotated?.options.cert, readFileSync(b.certFile));

  // A file that turns bad after start: an error now, the good state again once fixed.
  writeFileSync(file, 'tls_server_config:\n  cert_filse: x\n');
  assert.throws(() => source.current(), /unknown key "cert_filse"/);
  writeFileSync(file, tlsYaml('a.pem', 'a.key', '  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n'));
  assert.equal(source.tls()?.rejectUnauthorized, true);
  const parsed = parseWebConfig(readFileSync(file, 'utf8'), file).tls;
  assert.ok(parsed !== undefined);
  assert.equal(loadTlsMaterial(parsed).requestCert, true);
});
