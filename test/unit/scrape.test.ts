import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newDesc, type Collector } from '../../src/collector.js';
import { createLogger } from '../../src/logger.js';
import { CollectorSink, SinkLayout } from '../../src/exposition/sink.js';
import { encodeText } from '../../src/exposition/text.js';
import { releaseSnapshot, Scraper, type ScrapeSnapshot } from '../../src/scrape.js';
import { bufferFamilies, snapshotFamilies } from '../helpers/series.js';

const emitting = (type: 'gauge' | 'counter', device: string): Collector => ({
  collect: async (_ctx, out) => out.add(newDesc('node_network_receive_bytes_total', 'Bytes received.', type, ['device']), 1, device),
});

test("one family name from two collectors with two types: the first collector's kept, the other dropped and said once", async () => {
  const lines: string[] = [];
  const scraper = new Scraper(
    new Map([
      ['netclass', emitting('gauge', 'eth0')],
      ['netdev', emitting('counter', 'eth1')],
    ]),
    createLogger('warn', 'logfmt', (l) => lines.push(l)),
  );
  for (let i = 0; i < 2; i++) {
    const snap = await scraper.scrape(scraper.names, 1000);
    const f = snapshotFamilies(snap.families).find((x) => x.name === 'node_network_receive_bytes_total');
    assert.equal(f?.type, 'gauge');
    assert.deepEqual(
      f?.samples.map((s) => s.labels.device),
      ['eth0'],
    );
    assert.ok(snap.outcomes.every((o) => o.success));
  }
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0] ?? '', /two types.*family=node_network_receive_bytes_total type=counter kept=gauge collector=netdev/);
});

test('one family name from two collectors with the same type: samples merged', async () => {
  const scraper = new Scraper(
    new Map([
      ['a', emitting('counter', 'eth0')],
      ['b', emitting('counter', 'eth1')],
    ]),
    createLogger('warn', 'logfmt', () => {}),
  );
  const snap = await scraper.scrape(scraper.names, 1000);
  assert.deepEqual(
    snapshotFamilies(snap.families)
      .find((x) => x.name === 'node_network_receive_bytes_total')
      ?.samples.map((s) => s.labels.device),
    ['eth0', 'eth1'],
  );
});

test('a collector whose error the logger cannot write fails alone: the scrape answers, the process lives', async () => {
  // The log sink throws on every line it is given (the collector's error line), as a logger would
  // on an error with a throwing getter.
  const throwing = createLogger('error', 'logfmt', () => {
    throw new Error('log sink broken');
  });
  const scraper = new Scraper(
    new Map<string, Collector>([
      ['bad', { collect: async () => Promise.reject(new Error('boom')) }],
      ['good', emitting('counter', 'eth0')],
    ]),
    throwing,
  );
  const snap = await scraper.scrape(['bad', 'good'], 2_000);
  assert.deepEqual(
    snap.outcomes.map((o) => [o.name, o.success, o.timedOut]),
    [
      ['bad', false, false],
      ['good', true, false],
    ],
  );
  assert.equal(snapshotFamilies(snap.families).find((f) => f.name === 'node_network_receive_bytes_total')?.samples.length, 1);
});

test('released sinks: their families are written again by the next sink of the layout, with nothing of the earlier scrape left', () => {
  const layout = new SinkLayout();
  const a = newDesc('test_a', 'A.', 'gauge', ['k']);
  const b = newDesc('test_b', 'B.', 'gauge', []);
  const first = new CollectorSink(layout);
  for (const k of ['x', 'y', 'z']) first.add(a, 1, k);
  first.add(b, 2);
  const reused = first.get('test_a');
  first.release();
  const second = new CollectorSink(layout);
  assert.equal(second.get('test_a'), undefined, "a released sink's family is not this sink's until written");
  second.add(a, 5, 'y');
  assert.equal(second.get('test_a'), reused, 'the same buffer, written again');
  assert.equal(second.get('test_b'), undefined);
  assert.deepEqual(bufferFamilies(second.list), [{ name: 'test_a', help: 'A.', type: 'gauge', samples: [{ labels: { k: 'y' }, value: 5 }] }]);
  // A sink that was not released leaves its families alone: a third sink gets fresh ones.
  const third = new CollectorSink(layout);
  third.add(a, 7, 'w');
  assert.notEqual(third.get('test_a'), reused);
  assert.deepEqual(
    bufferFamilies(second.list).map((f) => f.samples),
    [[{ labels: { k: 'y' }, value: 5 }]],
  );
});

test('released snapshots: every scrape serves what its collectors wrote, also while an unreleased one is still held, and min-interval results are never reused', async () => {
  let round = 0;
  const desc = newDesc('test_round', 'Round.', 'gauge', ['n']);
  const counting: Collector = {
    collect: async (_ctx, out) => {
      round++;
      // A different number of series every round, so a reused buffer with stale entries shows.
      for (let i = 0; i < 1 + (round % 4); i++) out.add(desc, round, String(i));
    },
  };
  const kept = newDesc('test_kept', 'Kept.', 'gauge', ['n']);
  let refreshes = 0;
  const cached: Collector = {
    collect: async (_ctx, out) => {
      refreshes++;
      out.add(kept, refreshes, 'a');
      out.add(kept, refreshes, 'b');
    },
  };
  const scraper = new Scraper(
    new Map([
      ['counting', counting],
      ['cached', cached],
    ]),
    createLogger('error', 'logfmt', () => {}),
    new Map([['cached', 60_000]]),
  );
  const text = (snap: ScrapeSnapshot) => encodeText(snap.families).join('');
  const want = (r: number) => Array.from({ length: 1 + (r % 4) }, (_, i) => `test_round{n="${i}"} ${r}\n`).join('');
  let held: ScrapeSnapshot | undefined;
  let heldText = '';
  for (let i = 1; i <= 12; i++) {
    const snap = await scraper.scrape(scraper.names, 1000);
    const body = text(snap);
    assert.ok(body.includes(want(round)), `round ${round}:\n${body}`);
    assert.ok(body.includes('test_kept{n="a"} 1\ntest_kept{n="b"} 1\n'), body);
    if (i === 3) {
      // Held across later scrapes without being released: it must stay as it was.
      held = snap;
      heldText = body;
      continue;
    }
    releaseSnapshot(snap);
  }
  // Two scrapes at once, each taking released families: neither writes into the other's.
  const [one, two] = await Promise.all([scraper.scrape(scraper.names, 1000), scraper.scrape(scraper.names, 1000)]);
  const bodies = [text(one), text(two)];
  assert.ok(bodies[0]?.includes(want(round - 1)) && bodies[1]?.includes(want(round)), bodies.join('\n---\n'));
  assert.equal(refreshes, 1);
  assert.ok(held !== undefined);
  assert.equal(text(held), heldText);
});
