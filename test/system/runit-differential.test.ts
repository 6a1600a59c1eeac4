/**
 * Differential test of the runit collector against Debian's node_exporter 1.5.0
 * (`prometheus-node-exporter`, or NODE_EXPORTER_BIN) on our fixture service directory: the same
 * series, label values and values.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExposition } from '../helpers/exporter.js';
import { nodeExporterMissing, scrapeBoth } from '../helpers/node-exporter.js';
import { fixturePath } from '../helpers/repo.js';

const FAMILIES = /^node_service_/;

/** Series key → value of the families matching FAMILIES. */
function series(text: string): Map<string, number> {
  return new Map([...parseExposition(text)].filter(([k]) => FAMILIES.test(k)));
}

test('runit: same series and values as node_exporter 1.5.0 on fixtures/runit', { timeout: 60_000 }, async (t) => {
  if (process.platform !== 'linux') return t.skip('Linux only');
  const missing = nodeExporterMissing();
  if (missing !== undefined) return t.skip(missing);
  const args = [`--collector.runit.servicedir=${fixturePath('runit', 'service')}`];
  const { theirs, ours, ourLogs } = await scrapeBoth(t, ['runit'], { args });
  assert.ok(ours.includes('node_scrape_collector_success{collector="runit"} 1\n'), `runit failed:\n${ourLogs}`);
  assert.ok(theirs.includes('node_scrape_collector_success{collector="runit"} 1\n'));
  const [a, b] = [series(theirs), series(ours)];
  assert.equal(a.size, 20);
  assert.deepEqual(b, a);
  const types = (text: string): string[] =>
    text
      .split('\n')
      .filter((l) => l.startsWith('# TYPE node_service_'))
      .sort();
  assert.deepEqual(types(ours), types(theirs));
});
