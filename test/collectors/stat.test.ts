import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectorDefinitions } from '../../src/collectors/index.js';
import { stat } from '../../src/collectors/stat.js';
import { silentLogger } from '../../src/logger.js';
import { Scraper } from '../../src/scrape.js';
import { buildCollector, collectSeries, familySeries } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';

test('stat: kernel counters from /proc/stat; softirqs per vector only with --collector.stat.softirq', async () => {
  const m = await collectSeries(stat, { roots: { procfs: fixturePath('proc') } });
  assert.deepEqual(
    m,
    new Map([
      ['node_intr_total{}', 5174884848],
      ['node_context_switches_total{}', 4311654023211],
      ['node_forks_total{}', 9123456],
      ['node_boot_time_seconds{}', 1718000000],
      ['node_procs_running{}', 3],
      ['node_procs_blocked{}', 1],
    ]),
  );
  const withSoftirq = await collectSeries(stat, { roots: { procfs: fixturePath('proc') }, options: { 'collector.stat.softirq': true } });
  const softirqs = familySeries(withSoftirq, 'node_softirqs_total');
  assert.equal(softirqs.size, 10);
  assert.equal(withSoftirq.get('node_softirqs_total{vector="net_rx"}'), 10547554);
  assert.equal(withSoftirq.get('node_softirqs_total{vector="block_iopoll"}'), 0);
});

/** The collectors of this group, against a copy of the fixtures where one input is broken. */
const GROUP = ['cpu', 'cpufreq', 'cpu_vulnerabilities', 'interrupts', 'schedstat', 'softirqs', 'softnet', 'stat'];

async function successes(procfs: string, sysfs: string): Promise<Record<string, boolean>> {
  const collectors = new Map(collectorDefinitions.filter((d) => GROUP.includes(d.name)).map((d) => [d.name, buildCollector(d, { roots: { procfs, sysfs } })]));
  const snap = await new Scraper(collectors, silentLogger).scrape(GROUP, 5000);
  return Object.fromEntries(snap.outcomes.map((o) => [o.name, o.success]));
}

const breakages: [string, string, string | undefined, string[]][] = [
  // [description, file under the copied root, new content (undefined: delete), collectors that must fail]
  ['nothing broken', 'proc/loadavg', '0.1 0.2 0.3 1/100 42\n', []],
  ['malformed /proc/stat', 'proc/stat', 'cpu0 1 2 x\n', ['cpu', 'stat']],
  ['missing /proc/stat', 'proc/stat', undefined, ['cpu', 'stat']],
  ['malformed /proc/softirqs', 'proc/softirqs', 'nonsense\n', ['softirqs']],
  ['malformed /proc/interrupts', 'proc/interrupts', '  CPU0\n  0:  lots  IO-APIC timer\n', ['interrupts']],
  ['malformed softnet_stat', 'proc/net/softnet_stat', '00000001 00000002\n', ['softnet']],
  ['missing /proc/schedstat (no data)', 'proc/schedstat', undefined, ['schedstat']],
  ['malformed cpufreq value', 'sys/devices/system/cpu/cpufreq/policy0/scaling_max_freq', 'max\n', ['cpufreq']],
  ['malformed isolated list', 'sys/devices/system/cpu/isolated', '3-x\n', ['cpu']],
];

for (const [name, file, content, failing] of breakages) {
  test(`a broken input fails only its collectors: ${name}`, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cpu-group-'));
    try {
      cpSync(fixturePath('proc'), path.join(dir, 'proc'), { recursive: true, verbatimSymlinks: true });
      cpSync(fixturePath('sys'), path.join(dir, 'sys'), { recursive: true, verbatimSymlinks: true });
      if (content === undefined) rmSync(path.join(dir, file));
      else writeFileSync(path.join(dir, file), content);
      const got = await successes(path.join(dir, 'proc'), path.join(dir, 'sys'));
      assert.deepEqual(got, Object.fromEntries(GROUP.map((c) => [c, !failing.includes(c)])));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
