/**
 * Hostile clients against the real exporter, on loopback only and bounded in count and time:
 * idle connections, slowloris header dribblers, oversized headers, bodies, and more concurrent
 * scrapes than --web.max-requests. A normal scraper must still be served within a second.
 * Figures (scrape latency under attack, RSS) are printed with t.diagnostic.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import tls from 'node:tls';
import bcrypt from 'bcryptjs';
import { TIMEOUTS } from '../../src/server/http.js';
import { createPki, hasOpenssl } from '../helpers/certs.js';
import { startExporterProcess } from '../helpers/exporter.js';
import { fixturePath } from '../helpers/repo.js';

const WANT_IDLE = 1000;
const SLOWLORIS = 50;
/** The exporter gets this soft open-files limit (raised in a shell before exec; never above the hard limit). */
const EXPORTER_NOFILE = 4096;

const FIXTURE_FLAGS = [
  `--path.procfs=${fixturePath('proc')}`,
  `--path.sysfs=${fixturePath('sys')}`,
  `--path.rootfs=${fixturePath()}`,
  `--path.udev.data=${fixturePath('run', 'udev', 'data')}`,
  `--collector.textfile.directory=${fixturePath('textfile')}`,
  '--no-collector.arp.netlink',
  '--no-collector.netdev.netlink',
];
/** Raises the exporter's soft fd limit: `sh -c 'ulimit -n N; exec "$@"' sh node cli.js ...` keeps the pid. */
const RAISE_NOFILE = ['sh', '-c', `ulimit -n ${EXPORTER_NOFILE} 2>/dev/null || ulimit -n hard 2>/dev/null; exec "$@"`, 'sh'];

function softNofile(): number {
  const r = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' });
  const n = Number(r.stdout.trim());
  return r.stdout.trim() === 'unlimited' ? Infinity : Number.isFinite(n) ? n : 1024;
}

function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1]) / 1024;
}

function openFds(pid: number): number {
  const r = spawnSync('ls', [`/proc/${pid}/fd`], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).length;
}

/** How the test's own clients reach a TLS listener: the CA and the basic-auth header. */
interface TlsClient {
  ca: Buffer;
  authorization: string;
}

/** One scrape on a fresh connection: status and wall time. */
function scrape(base: string, path = '/metrics', tlsClient?: TlsClient): Promise<{ status: number; ms: number; body: string }> {
  const begin = performance.now();
  const get = tlsClient === undefined ? http.get : https.get;
  const extra = tlsClient === undefined ? {} : { ca: tlsClient.ca, headers: { Authorization: tlsClient.authorization } };
  return new Promise((resolve, reject) => {
    const req = get(`${base}${path}`, { agent: false, timeout: 5_000, ...extra }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - begin, body }));
    });
    req.on('timeout', () => req.destroy(new Error('scrape timed out after 5 s')));
    req.on('error', reject);
  });
}

interface Tracked {
  socket: net.Socket;
  openedAt: number;
  closedAt?: number;
  received: string;
}

/** A TCP connection, or with `ca` a TLS one (resolved once the handshake is done). */
function connect(port: number, ca?: Buffer): Promise<Tracked> {
  return new Promise((resolve, reject) => {
    const socket = ca === undefined ? net.connect({ port, host: '127.0.0.1' }) : tls.connect({ port, host: '127.0.0.1', ca, servername: 'localhost' });
    const t: Tracked = { socket, openedAt: performance.now(), received: '' };
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (t.received += d));
    socket.on('close', () => (t.closedAt = performance.now()));
    socket.on('error', () => undefined);
    socket.once(ca === undefined ? 'connect' : 'secureConnect', () => resolve(t));
    socket.once('error', reject);
  });
}

/** Opens n connections, at most 100 at a time so the listen backlog never overflows. */
async function connectMany(port: number, n: number, ca?: Buffer): Promise<Tracked[]> {
  const out: Tracked[] = [];
  for (let i = 0; i < n; i += 100) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(100, n - i) }, () => connect(port, ca)))));
  }
  return out;
}

const stats = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0] ?? NaN, median: s[Math.floor(s.length / 2)] ?? NaN, max: s[s.length - 1] ?? NaN };
};
const fmt = (x: number) => x.toFixed(1);

/** Sends raw bytes and collects the answer until the server closes (or `ms` pass). */
async function rawExchange(port: number, payload: string, ms = 5_000): Promise<string> {
  const t = await connect(port);
  t.socket.write(payload);
  const deadline = performance.now() + ms;
  while (t.closedAt === undefined && performance.now() < deadline) await sleep(20);
  t.socket.destroy();
  return t.received;
}

/**
 * The attack itself. Plain HTTP: idle sockets and slowloris clients are both cut by the header
 * timeout. TLS (--web.config.file with a certificate and basic auth): idle sockets never start a
 * handshake and are cut by the handshake timeout; slowloris clients finish the handshake and then
 * dribble, so the header timeout cuts them as before.
 */
async function attack(t: TestContext, extraArgs: readonly string[], tlsClient?: TlsClient): Promise<void> {
  const limit = softNofile();
  // This process holds one fd per client socket; keep 200 spare for the runner and the scrapes.
  const idleCount = Math.max(0, Math.min(WANT_IDLE, limit - SLOWLORIS - 200));
  if (idleCount < WANT_IDLE) t.diagnostic(`open-files soft limit is ${limit}: opening ${idleCount} idle connections instead of ${WANT_IDLE}`);
  const exporter = await startExporterProcess([...FIXTURE_FLAGS, ...extraArgs], RAISE_NOFILE);
  const base = tlsClient === undefined ? exporter.base : exporter.base.replace(/^http:/, 'https:');
  const get = () => scrape(base, '/metrics', tlsClient);
  const clients: Tracked[] = [];
  const timers: NodeJS.Timeout[] = [];
  try {
    const pid = exporter.child.pid ?? 0;
    const port = Number(new URL(exporter.base).port);
    for (let i = 0; i < 3; i++) assert.equal((await get()).status, 200); // warm up (and, with auth, fill the bcrypt cache)
    const rssBefore = rssMiB(pid);
    const quiet = stats(await sequence(5, get));

    const attackStart = performance.now();
    const idle = await connectMany(port, idleCount);
    clients.push(...idle);
    const slow = await connectMany(port, SLOWLORIS, tlsClient?.ca);
    clients.push(...slow);
    for (const [i, c] of slow.entries()) {
      c.socket.write(`GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
      let n = 0;
      timers.push(setInterval(() => c.closedAt === undefined && c.socket.write(`X-Slow-${i}-${n++}: y\r\n`), 1_000));
    }
    const connectedMs = performance.now() - attackStart;
    t.diagnostic(`opened ${idle.length} idle + ${slow.length} slowloris connections in ${fmt(connectedMs)} ms`);

    // Scrape while every attacker is connected (they are cut off after ~10 s).
    const underAttack: number[] = [];
    let rssDuring = 0;
    let fdsDuring = 0;
    for (let i = 0; i < 8; i++) {
      const r = await get();
      assert.equal(r.status, 200);
      underAttack.push(r.ms);
      rssDuring = Math.max(rssDuring, rssMiB(pid));
      fdsDuring = Math.max(fdsDuring, openFds(pid));
      await sleep(400);
    }
    const stillOpen = clients.filter((c) => c.closedAt === undefined).length;
    assert.equal(stillOpen, clients.length, 'the scrapes ran while every attacking connection was open');
    const attack = stats(underAttack);
    assert.ok(fdsDuring > clients.length, `the exporter accepted every connection (${fdsDuring} fds open)`);
    t.diagnostic(
      `scrape latency ms: quiet min/median/max ${fmt(quiet.min)}/${fmt(quiet.median)}/${fmt(quiet.max)}; under attack ${fmt(attack.min)}/${fmt(attack.median)}/${fmt(attack.max)}`,
    );
    assert.ok(attack.max < 1_000, `every scrape under attack took < 1 s (max ${fmt(attack.max)} ms)`);

    // The header timeout cuts both kinds: a connection that never sent a byte has not finished its headers either.
    const deadline = attackStart + TIMEOUTS.headersMs + 2 * TIMEOUTS.checkIntervalMs + 3_000;
    while (clients.some((c) => c.closedAt === undefined) && performance.now() < deadline) await sleep(100);
    const open = clients.filter((c) => c.closedAt === undefined);
    assert.equal(open.length, 0, `${open.length} attacking connections still open ${fmt((performance.now() - attackStart) / 1000)} s after the attack began`);
    const lifetimes = (cs: Tracked[]) => stats(cs.map((c) => ((c.closedAt ?? NaN) - c.openedAt) / 1000));
    const idleLife = lifetimes(idle);
    const slowLife = lifetimes(slow);
    t.diagnostic(
      `closed after s: idle min/median/max ${fmt(idleLife.min)}/${fmt(idleLife.median)}/${fmt(idleLife.max)}; slowloris ${fmt(slowLife.min)}/${fmt(slowLife.median)}/${fmt(slowLife.max)}`,
    );
    const headersS = TIMEOUTS.headersMs / 1000;
    for (const life of [idleLife, slowLife]) {
      assert.ok(life.min >= headersS - 0.5, `no connection was cut before the header timeout (min ${fmt(life.min)} s)`);
      assert.ok(life.max <= headersS + 2 * (TIMEOUTS.checkIntervalMs / 1000) + 1, `all were cut soon after it (max ${fmt(life.max)} s)`);
    }
    assert.ok(
      slow.every((c) => c.received.startsWith('HTTP/1.1 408')),
      'slowloris clients are told 408 Request Timeout',
    );

    await sleep(500);
    const rssAfter = rssMiB(pid);
    t.diagnostic(`exporter RSS MiB: before ${fmt(rssBefore)}, during ${fmt(rssDuring)}, after ${fmt(rssAfter)}; fds during ${fdsDuring}, after ${openFds(pid)}`);
    assert.ok(rssDuring - rssBefore < 128, `RSS grew by ${fmt(rssDuring - rssBefore)} MiB under attack (bound 128)`);
    assert.equal((await get()).status, 200);
  } finally {
    for (const timer of timers) clearInterval(timer);
    for (const c of clients) c.socket.destroy();
    await exporter.stop();
  }
}

test('1000 idle connections + 50 slowloris clients: scrapes still < 1 s, RSS bounded, all cut off by the header timeout', { timeout: 60_000 }, async (t: TestContext) => {
  await attack(t, []);
});

test('the same attack on a TLS listener with basic auth: idle sockets cut by the handshake timeout', {
  timeout: 60_000,
  skip: hasOpenssl() ? false : 'openssl is not installed',
}, async (t: TestContext) => {
  const pki = createPki();
  try {
    const { certFile, keyFile } = pki.issue('server', { cn: 'localhost', san: 'IP:127.0.0.1,DNS:localhost' });
    const password = 'hostile-test';
    const config = path.join(pki.dir, 'web.yml');
    writeFileSync(config, `tls_server_config:\n  cert_file: ${certFile}\n  key_file: ${keyFile}\nbasic_auth_users:\n  prometheus: ${bcrypt.hashSync(password, 10)}\n`);
    const authorization = `Basic ${Buffer.from(`prometheus:${password}`).toString('base64')}`;
    await attack(t, [`--web.config.file=${config}`], { ca: readFileSync(pki.caFile), authorization });
  } finally {
    pki.cleanup();
  }
});

test('oversized headers, request bodies, wrong methods', { timeout: 60_000 }, async (t: TestContext) => {
  const exporter = await startExporterProcess(['--collector.disable-defaults', '--collector.loadavg']);
  try {
    const pid = exporter.child.pid ?? 0;
    const port = Number(new URL(exporter.base).port);

    const big = 'a'.repeat(TIMEOUTS.maxHeaderBytes + 1024);
    const overflow = await rawExchange(port, `GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n`);
    assert.match(overflow, /^HTTP\/1\.1 431 /, 'headers over 16 KiB: 431');
    const justUnder = await rawExchange(port, `GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: ${'a'.repeat(8 * 1024)}\r\n\r\n`);
    assert.match(justUnder, /^HTTP\/1\.1 200 /, '8 KiB of headers is still served');

    const post = await rawExchange(port, 'POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello');
    assert.match(post, /^HTTP\/1\.1 405 /);
    assert.match(post, /\r\nAllow: GET, HEAD\r\n/);
    assert.match(post, /\r\nConnection: close\r\n/i, 'an unread body closes the connection rather than being drained');

    // A GET with a 10 MB body: answered 413 and closed without reading it.
    const rssBefore = rssMiB(pid);
    const total = 10 * 1024 * 1024;
    const c = await connect(port);
    c.socket.write(`GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: ${total}\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const deadline = performance.now() + 10_000;
    let offered = 0;
    while (offered < total && c.closedAt === undefined && performance.now() < deadline) {
      if (!c.socket.write(chunk)) await Promise.race([new Promise((r) => c.socket.once('drain', r)), sleep(200)]);
      offered += chunk.length;
    }
    while (c.closedAt === undefined && performance.now() < deadline) await sleep(20);
    const accepted = c.socket.bytesWritten;
    c.socket.destroy();
    t.diagnostic(
      `10 MB body: ${(accepted / 1024).toFixed(0)} KiB left this socket before the server closed it; answer: ${JSON.stringify(c.received.split('\r\n')[0] ?? '')}; exporter RSS ${fmt(rssBefore)} → ${fmt(rssMiB(pid))} MiB`,
    );
    assert.ok(c.closedAt !== undefined, 'the server closed the connection');
    assert.ok(c.received === '' || c.received.startsWith('HTTP/1.1 413 '), `refused with 413 (or reset before the answer was read): ${c.received.slice(0, 40)}`);
    assert.ok(accepted < total, 'the server did not take the whole body');
    assert.ok(rssMiB(pid) - rssBefore < 8, 'the body was not buffered');

    const chunked = await rawExchange(port, 'GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
    assert.match(chunked, /^HTTP\/1\.1 413 /, 'a chunked body is refused too');
    assert.equal((await scrape(exporter.base)).status, 200, 'still serving');
  } finally {
    await exporter.stop();
  }
});

test('--web.max-requests: scrapes beyond the limit get 503 while the others are served', { timeout: 60_000 }, async (t: TestContext) => {
  const exporter = await startExporterProcess([...FIXTURE_FLAGS, '--web.max-requests=1']);
  try {
    const counts = new Map<number, number>();
    let body503 = '';
    for (let round = 0; round < 5 && (counts.get(503) ?? 0) === 0; round++) {
      const results = await Promise.all(Array.from({ length: 20 }, () => scrape(exporter.base)));
      for (const r of results) {
        counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
        if (r.status === 503) body503 = r.body;
      }
    }
    t.diagnostic(`status counts with --web.max-requests=1: ${JSON.stringify(Object.fromEntries(counts))}`);
    assert.ok((counts.get(503) ?? 0) > 0, 'some concurrent scrapes were refused with 503');
    assert.ok((counts.get(200) ?? 0) > 0, 'and some were served');
    assert.deepEqual(
      [...counts.keys()].filter((s) => s !== 200 && s !== 503),
      [],
      'no other status',
    );
    assert.match(body503, /Limit of concurrent requests reached \(1\)/);
    const after = await scrape(exporter.base);
    assert.equal(after.status, 200, 'the limit frees up again');
    assert.match(after.body, /promhttp_metric_handler_requests_total\{code="503"\} [1-9]/);
  } finally {
    await exporter.stop();
  }
});

async function sequence(n: number, f: () => Promise<{ status: number; ms: number }>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = await f();
    assert.equal(r.status, 200);
    out.push(r.ms);
  }
  return out;
}
