/**
 * Live differential test of the ethtool collector (SIOCETHTOOL through the addon) against
 * Debian's node_exporter 1.5.0 (`prometheus-node-exporter`, or NODE_EXPORTER_BIN): series
 * (name and every label value) must be the same, values aside.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { test } from 'node:test';
import { parseExposition, startExporterProcess } from '../helpers/exporter.js';

const NODE_EXPORTER = process.env.NODE_EXPORTER_BIN ?? 'prometheus-node-exporter';
const COLLECTORS = ['ethtool'];
const FAMILIES = /^node_(ethtool_\w+|network_(supported|advertised)_\w+|network_(autonegotiate|pause|asymmetricpause)\w*|scrape_collector_success)\{/;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Series keys of our families, labels sorted so both exporters' texts compare. */
function seriesKeys(text: string): string[] {
  return [...parseExposition(text).keys()]
    .map((k) => (k.includes('{') ? k : `${k}{}`))
    .filter((k) => FAMILIES.test(k))
    .map((k) => {
      const [name, rest] = [k.slice(0, k.indexOf('{')), k.slice(k.indexOf('{') + 1, -1)];
      const labels = [...rest.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => `${m[1]}=${m[2]}`).sort();
      return `${name}{${labels.join(',')}}`;
    })
    .sort();
}

test('ethtool: same series as node_exporter 1.5.0 on this host', { timeout: 60_000 }, async (t) => {
  if (process.platform !== 'linux') return t.skip('Linux only');
  const help = spawnSync(NODE_EXPORTER, ['--help'], { encoding: 'utf8', timeout: 10_000 });
  if (help.error !== undefined) return t.skip(`${NODE_EXPORTER} is not installed (apt-get install prometheus-node-exporter, or set NODE_EXPORTER_BIN)`);
  const args = ['--collector.disable-defaults', ...COLLECTORS.map((c) => `--collector.${c}`)];
  const port = await freePort();
  const theirs = spawn(NODE_EXPORTER, [...args, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  t.after(() => theirs.kill('SIGTERM'));
  const ours = await startExporterProcess(args);
  t.after(() => ours.stop());
  let theirText: string | undefined;
  for (const t0 = Date.now(); theirText === undefined && Date.now() - t0 < 10_000; ) {
    try {
      theirText = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  assert.ok(theirText !== undefined, `${NODE_EXPORTER} did not answer`);
  const ourText = await (await fetch(`${ours.base}/metrics`)).text();
  const [a, b] = [seriesKeys(theirText), seriesKeys(ourText)];
  for (const c of COLLECTORS) assert.ok(ourText.includes(`node_scrape_collector_success{collector="${c}"} 1\n`), `${c} failed:\n${ours.logs()}`);
  assert.deepEqual(b, a);
});
