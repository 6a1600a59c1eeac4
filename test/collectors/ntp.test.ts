/**
 * The ntp collector against a fake NTP server on 127.0.0.1 (random port): only loopback
 * traffic, never a real server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { monotonicMs } from '../../src/clock.js';
import { ConfigError, type Collector } from '../../src/collector.js';
import { isLoopbackLiteral, ntp, splitServer, wallClockNs } from '../../src/collectors/ntp.js';
import { decodeHeader, ntpToUnixNs, toNtpTime } from '../../src/ntp/packet.js';
import { buildCollector, seriesMap, collectWith } from '../helpers/series.js';
import { replyTo, startFakeNtpServer, type FakeNtpServer, type ReplyFields } from '../helpers/ntp-server.js';

const FAMILIES = ['stratum', 'leap', 'rtt_seconds', 'offset_seconds', 'reference_timestamp_seconds', 'root_delay_seconds', 'root_dispersion_seconds', 'sanity'];

function collectorFor(server: FakeNtpServer, options: Record<string, string | boolean> = {}): Collector {
  return buildCollector(ntp, { options: { 'collector.ntp.server-port': String(server.port), ...options } });
}

async function scrape(c: Collector, ms = 3000): Promise<Map<string, number>> {
  return seriesMap(await collectWith(c, { signal: new AbortController().signal, deadline: monotonicMs() + ms }));
}

const v = (m: Map<string, number>, name: string) => m.get(`node_ntp_${name}{}`);

async function withServer(t: { after(fn: () => Promise<void>): void }, fields: ReplyFields | ((q: Buffer) => Buffer | undefined) = {}) {
  const server = await startFakeNtpServer(typeof fields === 'function' ? fields : (q) => replyTo(q, fields));
  t.after(() => server.close());
  return server;
}

test('ntp: a good reply from a synchronised local server', async (t) => {
  // A minute ago, on a quarter second: fresh enough to be sane.
  const refNs = (wallClockNs() / 1_000_000_000n - 60n) * 1_000_000_000n + 250_000_000n;
  const server = await withServer(t, { referenceTime: toNtpTime(refNs) });
  const m = await scrape(collectorFor(server));
  assert.deepEqual([...m.keys()].sort(), FAMILIES.map((f) => `node_ntp_${f}{}`).sort());
  assert.equal(v(m, 'stratum'), 2);
  assert.equal(v(m, 'leap'), 0);
  assert.equal(v(m, 'root_delay_seconds'), 0.03125);
  assert.equal(v(m, 'root_dispersion_seconds'), 0.015625);
  // Upstream's float64(UnixNano()) / 1e9, rounding included.
  assert.equal(v(m, 'reference_timestamp_seconds'), Number(refNs) / 1e9);
  const rtt = v(m, 'rtt_seconds') ?? -1;
  assert.ok(rtt >= 0 && rtt < 0.5, `rtt ${rtt}`);
  // The server's clock is ours: what is measured is only the path's asymmetry, at most half
  // the round trip (a busy machine delays one leg more than the other; 5 ms was not enough).
  assert.ok(Math.abs(v(m, 'offset_seconds') ?? 1) <= rtt / 2 + 0.001, `offset ${v(m, 'offset_seconds')}, rtt ${rtt}`);
  assert.equal(v(m, 'sanity'), 1);
  // One query per scrape: 48 bytes, LI 0, VN 4, mode 3.
  assert.equal(server.queries.length, 1);
  assert.equal(server.queries[0]?.length, 48);
  assert.equal(server.queries[0]?.[0], 0x23);
});

test('ntp: protocol-version goes into the query', async (t) => {
  const server = await withServer(t);
  await scrape(collectorFor(server, { 'collector.ntp.protocol-version': '3' }));
  assert.equal(server.queries[0]?.[0], 0x1b);
});

test('ntp: a reference time before 1970 reads as 0', async (t) => {
  // 1969-12-31 in era 0 would be read as 2105 (era 1); 1970-01-01T00:00:00.5 is still era 0.
  const server = await withServer(t, { referenceTime: toNtpTime(500_000_000n) });
  const m = await scrape(collectorFor(server));
  assert.equal(v(m, 'reference_timestamp_seconds'), 0);
  assert.equal(ntpToUnixNs(toNtpTime(500_000_000n)), 500_000_000n);
});

test('ntp: an insane server still reports its fields, with sanity 0', async (t) => {
  const cases: [string, ReplyFields, Record<string, string>, string, number][] = [
    ['leap 3: not synchronised', { leap: 3 }, {}, 'leap', 3],
    ['stratum 16', { stratum: 16 }, {}, 'stratum', 16],
    ['kiss of death', { stratum: 0, referenceId: Buffer.from('RATE').readUInt32BE() }, {}, 'stratum', 0],
    ['reference time stale (2^17 s + 1)', { referenceAgeSeconds: 131_073 }, {}, 'stratum', 2],
    ['root distance over max-distance', { rootDispersion: 4 << 16 }, {}, 'root_dispersion_seconds', 4],
    ['root distance over a smaller max-distance', {}, { 'collector.ntp.max-distance': '20ms' }, 'stratum', 2],
    ['clock 50 ms off', { skewSeconds: 0.05 }, {}, 'stratum', 2],
  ];
  for (const [name, fields, options, family, want] of cases) {
    const server = await withServer(t, fields);
    const m = await scrape(collectorFor(server, options));
    assert.equal(v(m, family), want, name);
    assert.equal(v(m, 'sanity'), 0, name);
    assert.equal(m.size, FAMILIES.length, name);
  }
});

test('ntp: offset is measured, and local-offset-tolerance decides sanity', async (t) => {
  const server = await withServer(t, { skewSeconds: 2.5 });
  const m = await scrape(collectorFor(server));
  // Within the path's asymmetry, at most half the round trip (as in the test above).
  const near = (m: Map<string, number>, skew: number) => Math.abs((v(m, 'offset_seconds') ?? 0) - skew) <= (v(m, 'rtt_seconds') ?? 0) / 2 + 0.001;
  assert.ok(near(m, 2.5), `offset ${v(m, 'offset_seconds')}, rtt ${v(m, 'rtt_seconds')}`);
  assert.equal(v(m, 'sanity'), 0);
  const tolerant = await scrape(collectorFor(server, { 'collector.ntp.local-offset-tolerance': '3s' }));
  assert.equal(v(tolerant, 'sanity'), 1);
  const behind = await withServer(t, { skewSeconds: -2.5 });
  const mb = await scrape(collectorFor(behind));
  assert.ok(near(mb, -2.5), `offset ${v(mb, 'offset_seconds')}, rtt ${v(mb, 'rtt_seconds')}`);
});

test('ntp: an announced leap second tolerates a second of error around that midnight, and is remembered', async (t) => {
  const server = await withServer(t, { leap: 1, skewSeconds: 0.5 });
  const c = collectorFor(server);
  assert.equal(v(await scrape(c), 'sanity'), 1);
  // The flag is gone from the next reply but the collector remembers the leap midnight.
  server.respond = (q) => replyTo(q, { leap: 0, skewSeconds: 0.5 });
  assert.equal(v(await scrape(c), 'sanity'), 1);
  // A fresh collector never saw the announcement.
  assert.equal(v(await scrape(collectorFor(server)), 'sanity'), 0);
});

test('ntp: no answer fails the collector before the deadline', async (t) => {
  const server = await withServer(t, () => undefined);
  const c = collectorFor(server);
  let begin = monotonicMs();
  await assert.rejects(scrape(c, 300), /couldn't get SNTP reply from 127\.0\.0\.1:\d+: no SNTP reply within 2\d\dms/);
  assert.ok(monotonicMs() - begin < 300, `took ${monotonicMs() - begin} ms`);
  // With plenty of time left, upstream's one-second reply timeout applies.
  begin = monotonicMs();
  await assert.rejects(scrape(c, 10_000), /no SNTP reply within 1000ms/);
  const took = monotonicMs() - begin;
  assert.ok(took >= 990 && took < 1500, `took ${took} ms`);
  // Past the deadline already: no query at all.
  await assert.rejects(scrape(c, 5), /no time left before the scrape deadline/);
});

test('ntp: the scrape signal aborts a pending query', async (t) => {
  const server = await withServer(t, () => undefined);
  const abort = new AbortController();
  const begin = monotonicMs();
  setTimeout(() => abort.abort(), 50);
  await assert.rejects(collectWith(collectorFor(server), { signal: abort.signal, deadline: monotonicMs() + 5000 }), /scrape deadline reached before an SNTP reply/);
  assert.ok(monotonicMs() - begin < 500);
});

test('ntp: nothing listening is an immediate error (ICMP port unreachable)', async () => {
  const probe = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(resolve));
  const c = buildCollector(ntp, { options: { 'collector.ntp.server-port': String(port) } });
  await assert.rejects(scrape(c), /couldn't get SNTP reply.*ECONNREFUSED/);
});

test('ntp: garbage replies fail the collector with the reason', async (t) => {
  const cases: [string, (q: Buffer) => Buffer, RegExp][] = [
    ['empty datagram', () => Buffer.alloc(0), /short reply: 0 bytes/],
    ['text', () => Buffer.from('hello, this is not NTP\n'), /short reply: 23 bytes/],
    ['47 bytes', (q) => replyTo(q).subarray(0, 47), /short reply: 47 bytes/],
    ['our query echoed back', (q) => q, /invalid mode 3/],
    ['48 random-looking bytes with mode 4', () => Buffer.from('24'.padEnd(96, 'a5'), 'hex'), /origin timestamp does not match/],
    ['transmit time 0', (q) => replyTo(q, { transmitTime: 0n, receiveTime: 0n }), /invalid transmit time 0/],
    [
      'receive after transmit',
      (q) => {
        const h = decodeHeader(replyTo(q));
        return replyTo(q, { receiveTime: h.transmitTime + (1n << 32n) });
      },
      /ticked backwards/,
    ],
  ];
  for (const [name, respond, want] of cases) {
    const server = await withServer(t, respond);
    await assert.rejects(scrape(collectorFor(server)), (e: Error) => /^couldn't get SNTP reply from 127\.0\.0\.1:\d+: /.test(e.message) && want.test(e.message), name);
  }
});

test('ntp: an IPv6 loopback server', async (t) => {
  let server: FakeNtpServer;
  try {
    server = await startFakeNtpServer((q) => replyTo(q), '::1');
  } catch (err) {
    return t.skip(`no IPv6 loopback here: ${(err as Error).message}`);
  }
  t.after(() => server.close());
  const m = await scrape(collectorFor(server, { 'collector.ntp.server': '::1' }));
  assert.equal(v(m, 'sanity'), 1);
});

test('ntp: flags are checked when the collector is built, as upstream does', () => {
  const build = (options: Record<string, string | boolean>) => () => buildCollector(ntp, { options });
  const bad: [Record<string, string | boolean>, RegExp][] = [
    [{ 'collector.ntp.server': '192.0.2.1' }, /must be a loopback IP address unless --collector.ntp.server-is-local/],
    [{ 'collector.ntp.server': 'localhost' }, /must be a loopback IP address/],
    [{ 'collector.ntp.server': '127.0.0.1:123' }, /must be a loopback IP address/],
    [{ 'collector.ntp.protocol-version': '1' }, /protocol-version: 1 is not 2, 3 or 4/],
    [{ 'collector.ntp.protocol-version': '5' }, /protocol-version: 5/],
    [{ 'collector.ntp.protocol-version': 'four' }, /expected an integer/],
    [{ 'collector.ntp.server-port': '0' }, /server-port: 0 is not between 1 and 65535/],
    [{ 'collector.ntp.server-port': '65536' }, /server-port: 65536/],
    [{ 'collector.ntp.ip-ttl': '256' }, /ip-ttl: 256/],
    [{ 'collector.ntp.local-offset-tolerance': '-1ms' }, /local-offset-tolerance: invalid duration/],
    [{ 'collector.ntp.max-distance': 'far' }, /max-distance: invalid duration/],
    [{ 'collector.ntp.server': '[::1', 'collector.ntp.server-is-local': true }, /missing '\]'/],
  ];
  for (const [options, want] of bad) assert.throws(build(options), (e: unknown) => e instanceof ConfigError && want.test(e.message), JSON.stringify(options));
  const good: Record<string, string | boolean>[] = [
    {},
    { 'collector.ntp.server': '::1' },
    { 'collector.ntp.server': '127.0.0.53' },
    { 'collector.ntp.server': 'ntp.example.org', 'collector.ntp.server-is-local': true },
    { 'collector.ntp.ip-ttl': '0' },
  ];
  for (const options of good) {
    assert.doesNotThrow(build(options), JSON.stringify(options));
  }
});

test('wallClockNs: the wall clock, finer than a millisecond', () => {
  for (let i = 0; i < 1000; i++) {
    const before = BigInt(Date.now()) * 1_000_000n;
    const ns = wallClockNs();
    const after = BigInt(Date.now() + 1) * 1_000_000n;
    assert.ok(ns >= before - 1_000_000n && ns <= after + 1_000_000n, `${ns} not within [${before}, ${after}]`);
  }
  const distinct = new Set(Array.from({ length: 50 }, () => wallClockNs() % 1_000_000n));
  assert.ok(distinct.size > 1, 'no sub-millisecond resolution');
});

test('isLoopbackLiteral and splitServer', () => {
  const loop: [string, boolean][] = [
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.1', false],
    ['::', false],
    ['localhost', false],
    ['127.0.0.1:123', false],
    ['[::1]', false],
    ['::1%lo', false],
    ['', false],
  ];
  for (const [text, want] of loop) assert.equal(isLoopbackLiteral(text), want, text);
  const split: [string, { host: string; port: number }][] = [
    ['127.0.0.1', { host: '127.0.0.1', port: 123 }],
    ['ntp.lan:1123', { host: 'ntp.lan', port: 1123 }],
    ['::1', { host: '::1', port: 123 }],
    ['[::1]', { host: '::1', port: 123 }],
    ['[fe80::1%eth0]:124', { host: 'fe80::1%eth0', port: 124 }],
  ];
  for (const [text, want] of split) assert.deepEqual(splitServer(text, 123), want, text);
  for (const text of ['[::1]x', 'host:port', ':123', 'host:70000']) assert.throws(() => splitServer(text, 123), ConfigError, text);
});
