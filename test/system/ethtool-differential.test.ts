/**
 * Live differential test of the ethtool collector (SIOCETHTOOL through the addon) against
 * Debian's node_exporter 1.5.0 (`prometheus-node-exporter`, or NODE_EXPORTER_BIN): series
 * (name and every label value) must be the same, values aside.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodeExporterMissing, scrapeBoth, seriesKeys } from '../helpers/node-exporter.js';

const COLLECTORS = ['ethtool'];
const FAMILIES = /^node_(ethtool_\w+|network_(supported|advertised)_\w+|network_(autonegotiate|pause|asymmetricpause)\w*|scrape_collector_success)\{/;

test('ethtool: same series as node_exporter 1.5.0 on this host', { timeout: 60_000 }, async (t) => {
  if (process.platform !== 'linux') return t.skip('Linux only');
  const missing = nodeExporterMissing();
  if (missing !== undefined) return t.skip(missing);
  const { theirs: theirText, ours: ourText, ourLogs } = await scrapeBoth(t, COLLECTORS);
  const [a, b] = [seriesKeys(theirText, FAMILIES), seriesKeys(ourText, FAMILIES)];
  for (const c of COLLECTORS) assert.ok(ourText.includes(`node_scrape_collector_success{collector="${c}"} 1\n`), `${c} failed:\n${ourLogs}`);
  assert.deepEqual(b, a);
});
