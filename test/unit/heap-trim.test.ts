import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../src/logger.js';
import type { HeapTrim } from '../../src/native.js';
import { HeapTrimmer } from '../../src/server/heap-trim.js';

/** A trimmer on a clock moved by hand, counting its trims; `settle` lets a pending trim finish. */
function trimmer(intervalMs = 1000, result: () => Promise<HeapTrim> = async () => ({ supported: true, released: true, seconds: 0.0001 })) {
  let now = 0;
  let trims = 0;
  const t = new HeapTrimmer(
    silentLogger,
    intervalMs,
    () => {
      trims++;
      return result();
    },
    () => now,
  );
  return {
    t,
    trims: () => trims,
    advance: (ms: number) => {
      now += ms;
    },
    settle: () => new Promise((resolve) => setImmediate(resolve)),
    /** The clock moved past `ms`, and real time given for a trim left pending `ms` ahead to fire. */
    pastInterval: (ms: number) => {
      now += ms;
      return new Promise((resolve) => setTimeout(resolve, 2 * ms));
    },
  };
}

test('heap trim: only once no scrape is in flight', async () => {
  const h = trimmer();
  h.t.scrapeEnded(2);
  h.t.scrapeEnded(1);
  assert.equal(h.trims(), 0);
  h.t.scrapeEnded(0);
  assert.equal(h.trims(), 1);
});

test('heap trim: at most once per interval, however many scrapes end in it', async () => {
  const h = trimmer(1000);
  h.t.scrapeEnded(0);
  await h.settle();
  for (let i = 0; i < 9; i++) {
    h.advance(100);
    h.t.scrapeEnded(0);
    await h.settle();
  }
  assert.equal(h.trims(), 1);
  h.advance(100);
  h.t.scrapeEnded(0);
  assert.equal(h.trims(), 2);
});

test('heap trim: never two at once, and a failed trim neither throws nor stops later ones', async () => {
  let release: () => void = () => {};
  let fail = true;
  const h = trimmer(0, () =>
    fail
      ? Promise.reject(new Error('no thread'))
      : new Promise<HeapTrim>((resolve) => {
          release = () => resolve({ supported: true, released: false, seconds: 0 });
        }),
  );
  h.t.scrapeEnded(0);
  await h.settle();
  fail = false;
  h.t.scrapeEnded(0);
  assert.equal(h.trims(), 2);
  h.t.scrapeEnded(0);
  assert.equal(h.trims(), 2, 'a trim still running');
  release();
  await h.settle();
  h.t.scrapeEnded(0);
  assert.equal(h.trims(), 3);
});

test('heap trim after start: once, after the delay, under the same rules; cancelled by the server closing', async () => {
  const h = trimmer();
  h.t.afterStart(5, () => 0);
  assert.equal(h.trims(), 0, 'not before the delay');
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(h.trims(), 1);
  const busy = trimmer();
  busy.t.afterStart(5, () => 1);
  const cancelled = trimmer();
  cancelled.t.afterStart(5, () => 0)();
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(busy.trims(), 0, 'not while a scrape is in flight');
  assert.equal(cancelled.trims(), 0, 'not once cancelled');
});

test('heap trim: a burst that ends inside the interval gets its trim when the interval is up, unless a scrape is then in flight', async () => {
  const h = trimmer(30);
  let inFlight = 0;
  const stop = h.t.afterStart(60_000, () => inFlight);
  try {
    h.t.scrapeEnded(0);
    assert.equal(h.trims(), 1);
    await h.settle();
    h.advance(10);
    h.t.scrapeEnded(0);
    h.t.scrapeEnded(0);
    assert.equal(h.trims(), 1, 'not before the interval is up');
    await h.pastInterval(30);
    assert.equal(h.trims(), 2, "the burst's last scrape left one trim pending");
    await h.settle();

    h.advance(10);
    h.t.scrapeEnded(0);
    inFlight = 1;
    await h.pastInterval(30);
    assert.equal(h.trims(), 2, "a scrape in flight when it is due: that scrape's end decides");
    inFlight = 0;
    h.t.scrapeEnded(0);
    assert.equal(h.trims(), 3);
    await h.settle();

    h.advance(10);
    h.t.scrapeEnded(0);
    h.t.scrapeEnded(1);
    await h.pastInterval(30);
    assert.equal(h.trims(), 3, 'a scrape ending with others in flight drops the pending trim');
  } finally {
    stop();
  }
  h.advance(10);
  h.t.scrapeEnded(0);
  await h.pastInterval(30);
  assert.equal(h.trims(), 3, 'none once the server has closed');
});

test('heap trim: a scrape ending while a trim runs is decided when the trim is done', async () => {
  let release: () => void = () => {};
  const h = trimmer(30, () => new Promise<HeapTrim>((resolve) => (release = () => resolve({ supported: true, released: true, seconds: 0 }))));
  h.t.scrapeEnded(0);
  assert.equal(h.trims(), 1);
  h.advance(10);
  h.t.scrapeEnded(0);
  release();
  await h.settle();
  assert.equal(h.trims(), 1, 'not before the interval is up');
  await h.pastInterval(30);
  assert.equal(h.trims(), 2, 'the scrape that ended during the trim left one pending');
  release();
});
