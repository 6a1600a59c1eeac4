/**
 * Live differential test of the netlink collectors against Debian's node_exporter 1.5.0
 * (`prometheus-node-exporter`, or NODE_EXPORTER_BIN): both run on this host with arp (ours in
 * its default netlink mode; 1.5.0 reads /proc/net/arp, which lists the same neighbours), qdisc,
 * tcpstat and network_route. Series (name and every label value) must be the same, values aside;
 * for tcpstat only the label names, as sockets change state between the two scrapes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodeExporterMissing, scrapeBoth, seriesKeys } from '../helpers/node-exporter.js';

const COLLECTORS = ['arp', 'qdisc', 'tcpstat', 'network_route'];
const FAMILIES = /^node_(arp_entries|qdisc_\w+|tcp_connection_states|network_route_info|network_routes|scrape_collector_success)\{/;

test('netlink collectors: same series as node_exporter 1.5.0 on this host', { timeout: 60_000 }, async (t) => {
  if (process.platform !== 'linux') return t.skip('Linux only');
  const missing = nodeExporterMissing();
  if (missing !== undefined) return t.skip(missing);
  const { theirs: theirText, ours: ourText, ourLogs } = await scrapeBoth(t, COLLECTORS);
  const [a, b] = [seriesKeys(theirText, FAMILIES), seriesKeys(ourText, FAMILIES)];
  for (const c of COLLECTORS) assert.ok(ourText.includes(`node_scrape_collector_success{collector="${c}"} 1\n`), `${c} failed:\n${ourLogs}`);
  const stable = (k: string) => !k.startsWith('node_tcp_connection_states{');
  assert.deepEqual(b.filter(stable), a.filter(stable));
  const labelNames = (ks: string[]) => new Set(ks.filter((k) => !stable(k)).map((k) => k.replace(/=[^,}]*/g, '')));
  assert.deepEqual(labelNames(b), labelNames(a));
});
