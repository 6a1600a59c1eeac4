/**
 * The perf collector live: the same series as Debian's node_exporter 1.5.0 (software counters
 * and tracepoints; this kind of VM has no hardware PMU, so hardware and cache counters are
 * absent from both), and as an unprivileged user it fails alone, saying why.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { startExporterProcess } from '../helpers/exporter.js';
import { nodeExporterMissing, scrapeBoth, seriesKeys } from '../helpers/node-exporter.js';

const asRoot = process.getuid?.() === 0;
const FAMILIES = /^node_(perf_\w+|scrape_collector_success)\{/;
const TRACEPOINTS = ['sched:sched_switch', 'irq:softirq_entry'];
/**
 * A private mount namespace with tracefs (where we and current upstream look it up) and debugfs
 * (1.5.0's perf library reads /sys/kernel/debug/tracing), each mounted unless the host has it
 * mounted already (running perf(1) mounts tracefs, as do many distributions): nothing leaks to
 * the host.
 */
const WITH_TRACEFS = [
  'unshare',
  '-m',
  'sh',
  '-c',
  '(mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing) && (mountpoint -q /sys/kernel/debug || mount -t debugfs nodev /sys/kernel/debug) && exec "$0" "$@"',
];

test('perf: same series as node_exporter 1.5.0, software counters and tracepoints', { timeout: 60_000 }, async (t) => {
  if (process.platform !== 'linux') return t.skip('Linux only');
  if (!asRoot) return t.skip('needs root: CPU-wide perf counters and mounting tracefs in a private namespace');
  const missing = nodeExporterMissing();
  if (missing !== undefined) return t.skip(missing);
  const args = ['--collector.perf.cpus=0-1', ...TRACEPOINTS.map((tp) => `--collector.perf.tracepoint=${tp}`)];
  const { theirs, ours, ourLogs } = await scrapeBoth(t, ['perf'], { args, runner: WITH_TRACEFS });
  assert.ok(ours.includes('node_scrape_collector_success{collector="perf"} 1\n'), ourLogs);
  const [a, b] = [seriesKeys(theirs, FAMILIES), seriesKeys(ours, FAMILIES)];
  assert.deepEqual(b, a);
  for (const name of ['node_perf_context_switches_total', 'node_perf_sched_sched_switch', 'node_perf_irq_softirq_entry']) {
    assert.ok(b.includes(`${name}{cpu=0}`), `${name} missing:\n${b.join('\n')}`);
  }
});

test('perf: tracefs not mounted → the perf collector fails alone with the reason', { timeout: 30_000 }, async (t) => {
  if (!asRoot) return t.skip('needs root to make a mount namespace without tracefs');
  // Unmount any tracefs inside a private namespace so the lookup must fail.
  const runner = ['unshare', '-m', 'sh', '-c', 'for m in $(awk \'$3=="tracefs"{print $2}\' /proc/mounts | sort -r); do umount -l "$m"; done; exec "$0" "$@"'];
  const ex = await startExporterProcess(['--collector.disable-defaults', '--collector.perf', '--collector.loadavg', '--collector.perf.tracepoint=sched:sched_switch'], runner);
  t.after(() => ex.stop());
  const text = await (await fetch(`${ex.base}/metrics`)).text();
  assert.match(text, /node_scrape_collector_success\{collector="perf"\} 0\n/);
  assert.match(text, /node_scrape_collector_success\{collector="loadavg"\} 1\n/);
  assert.match(ex.logs(), /tracefs is not mounted/);
});

test('perf: unprivileged under perf_event_paranoid > 0 → fails alone, naming the setting', { timeout: 30_000 }, async (t) => {
  if (!asRoot) return t.skip('needs root to start the exporter as nobody');
  const paranoid = Number(readFileSync('/proc/sys/kernel/perf_event_paranoid', 'utf8').trim());
  if (!(paranoid > 0)) return t.skip(`kernel.perf_event_paranoid is ${paranoid}: unprivileged CPU-wide counters are allowed here`);
  const ex = await startExporterProcess(
    ['--collector.disable-defaults', '--collector.perf', '--collector.loadavg'],
    ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
  );
  t.after(() => ex.stop());
  const text = await (await fetch(`${ex.base}/metrics`)).text();
  assert.match(text, /node_scrape_collector_success\{collector="perf"\} 0\n/);
  assert.match(text, /node_scrape_collector_success\{collector="loadavg"\} 1\n/);
  assert.doesNotMatch(text, /^node_perf_/m);
  assert.match(ex.logs(), /no perf counter could be opened: EACCES \(needs CAP_PERFMON or root, or kernel\.perf_event_paranoid <= 0\)/);
});
