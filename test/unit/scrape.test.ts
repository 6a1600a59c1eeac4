import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newDesc, type Collector } from '../../src/collector.js';
import { createLogger } from '../../src/logger.js';
import { Scraper } from '../../src/scrape.js';
import { bufferFamilies } from '../helpers/series.js';

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
    const f = bufferFamilies(snap.families).find((x) => x.name === 'node_network_receive_bytes_total');
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
    bufferFamilies(snap.families)
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
  assert.equal(bufferFamilies(snap.families).find((f) => f.name === 'node_network_receive_bytes_total')?.samples.length, 1);
});
