import assert from 'node:assert/strict';
import { monotonicMs } from '../../src/clock.js';
import { test } from 'node:test';
import { NoDataError } from '../../src/collector.js';
import type { MetricFamily } from '../helpers/series.js';
import { timexDefinition } from '../../src/collectors/timex.js';
import { silentLogger } from '../../src/logger.js';
import { adjtimex, SyscallError, type Timex } from '../../src/native.js';
import { Paths } from '../../src/paths.js';
import { CollectorSink } from '../../src/exposition/sink.js';
import { buildCollector, collectOnce } from '../helpers/series.js';

const RAW: Timex = {
  offset: -1500,
  freq: 1_310_720,
  maxerror: 250_000,
  esterror: 1000,
  status: 0x2001,
  constant: 7,
  precision: 1,
  tolerance: 32_768_000,
  tick: 10_000,
  ppsfreq: 65536,
  jitter: 2000,
  shift: 4,
  stabil: 131_072,
  jitcnt: 1,
  calcnt: 2,
  errcnt: 3,
  stbcnt: 4,
  tai: 37,
  state: 0,
};

const value = (fams: MetricFamily[], name: string) => fams.find((f) => f.name === `node_timex_${name}`)?.samples[0]?.value;
const timexOf = (t: Timex) => collectOnce(buildCollector(timexDefinition({ adjtimex: () => Promise.resolve(t) })));

test('unit conversions follow node_exporter (STA_NANO → ns divisor, ppm·2^16 → ratio)', async () => {
  const f = await timexOf(RAW);
  assert.equal(value(f, 'offset_seconds'), -1.5e-6);
  assert.equal(value(f, 'pps_jitter_seconds'), 2e-6);
  assert.equal(value(f, 'frequency_adjustment_ratio'), 1 + 20 / 1e6);
  assert.equal(value(f, 'maxerror_seconds'), 0.25);
  assert.equal(value(f, 'tick_seconds'), 0.01);
  assert.equal(value(f, 'pps_frequency_hertz'), 1e-6);
  assert.equal(value(f, 'tai_offset_seconds'), 37);
  assert.equal(value(f, 'sync_status'), 1);
  assert.equal(f.find((x) => x.name === 'node_timex_pps_error_total')?.type, 'counter');
  const micro = await timexOf({ ...RAW, status: 0x0001, state: 5 });
  assert.equal(value(micro, 'offset_seconds'), -1.5e-3);
  assert.equal(value(micro, 'sync_status'), 0);
  assert.equal(f.length, 17);
});

test('EPERM is "no data"; other errors fail the collector', async () => {
  const ctx = { signal: new AbortController().signal, deadline: monotonicMs() + 1000 };
  const make = (err: Error) =>
    timexDefinition({ adjtimex: () => Promise.reject(err) }).create({ paths: new Paths(), logger: silentLogger, options: new Map(), explicit: new Set() });
  await assert.rejects(make(new SyscallError('Operation not permitted', { code: 'EPERM', errno: 1, syscall: 'adjtimex' })).collect(ctx, new CollectorSink()), NoDataError);
  await assert.rejects(make(new SyscallError('Invalid argument', { code: 'EINVAL', errno: 22, syscall: 'adjtimex' })).collect(ctx, new CollectorSink()), SyscallError);
});

test('the live adjtimex answers with the kernel tick', async () => {
  const t = await adjtimex();
  // USER_HZ-based tick in microseconds: 10000 at HZ=100 on every Linux we know.
  assert.ok(t.tick > 0 && t.tick <= 1_000_000, `tick ${t.tick}`);
  assert.ok(t.state >= 0 && t.state <= 5);
});
