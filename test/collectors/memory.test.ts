import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, type CollectorDefinition } from '../../src/collector.js';
import type { MetricFamily } from '../helpers/series.js';
import { buddyinfo } from '../../src/collectors/buddyinfo.js';
import { ksmd } from '../../src/collectors/ksmd.js';
import { meminfoNuma } from '../../src/collectors/meminfo-numa.js';
import { slabinfo } from '../../src/collectors/slabinfo.js';
import { vmstat } from '../../src/collectors/vmstat.js';
import { zoneinfo } from '../../src/collectors/zoneinfo.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { fixturePath } from '../helpers/repo.js';
import { buildCollector, collectOnce, familySeries, seriesMap, type BuildOptions } from '../helpers/series.js';

const roots = { procfs: fixturePath('proc'), sysfs: fixturePath('sys') };

/** Runs a collector as the CLI would: upstream's defaults for its flags, overridden by `options`. */
async function run(def: CollectorDefinition, o: BuildOptions = {}): Promise<MetricFamily[]> {
  const defaults = Object.fromEntries((def.options ?? []).filter((x) => x.defaultValue !== undefined).map((x) => [x.flag, x.defaultValue as string]));
  return collectOnce(buildCollector(def, { roots, ...o, options: { ...defaults, ...o.options } }));
}
const types = (fs: MetricFamily[]) => Object.fromEntries(fs.map((f) => [f.name, f.type]));

/** A scratch sysfs holding a copy of one fixtures/sys subtree, to break or remove files in. */
function scratch(...rel: string[]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'nets-mem-'));
  cpSync(fixturePath('sys', ...rel), path.join(root, ...rel), { recursive: true });
  return root;
}

test("vmstat: upstream's default fields, all untyped", async () => {
  const fs = await run(vmstat);
  assert.deepEqual(Object.fromEntries(seriesMap(fs)), {
    'node_vmstat_pgpgin{}': 48211576,
    'node_vmstat_pgpgout{}': 291877204,
    'node_vmstat_pswpin{}': 1874,
    'node_vmstat_pswpout{}': 9123,
    'node_vmstat_pgfault{}': 23105477192,
    'node_vmstat_pgmajfault{}': 91223,
    'node_vmstat_oom_kill{}': 3,
  });
  assert.ok(fs.every((f) => f.type === 'untyped'));
});

test('vmstat: --collector.vmstat.fields selects, an invalid one is a ConfigError', async () => {
  const m = seriesMap(await run(vmstat, { options: { 'collector.vmstat.fields': '^nr_isolated' } }));
  assert.deepEqual([...m.keys()], ['node_vmstat_nr_isolated_anon{}', 'node_vmstat_nr_isolated_file{}']);
  assert.equal(m.get('node_vmstat_nr_isolated_file{}'), 2 ** 64);
  await assert.rejects(run(vmstat, { options: { 'collector.vmstat.fields': '(' } }), ConfigError);
  await assert.rejects(run(vmstat, { roots: { procfs: '/nonexistent' } }), { code: 'ENOENT' });
});

test('meminfo_numa: per-node gauges in bytes, numastat counters', async () => {
  const fs = await run(meminfoNuma);
  const m = seriesMap(fs);
  assert.equal(m.size, 2 * (37 + 6));
  assert.equal(m.get('node_memory_numa_MemTotal{node="0"}'), 16270960 * 1024);
  assert.equal(m.get('node_memory_numa_Active_anon{node="1"}'), 1644816 * 1024);
  assert.equal(m.get('node_memory_numa_HugePages_Free{node="0"}'), 30);
  assert.equal(m.get('node_memory_numa_numa_hit_total{node="0"}'), 9881494393);
  assert.equal(m.get('node_memory_numa_other_node_total{node="1"}'), 143251);
  const t = types(fs);
  assert.equal(t.node_memory_numa_MemUsed, 'gauge');
  assert.equal(t.node_memory_numa_interleave_hit_total, 'counter');
});

test('meminfo_numa: a missing numastat fails it; no node directory is nothing to report', async () => {
  const root = scratch('devices', 'system', 'node');
  try {
    rmSync(path.join(root, 'devices/system/node/node1/numastat'));
    await assert.rejects(run(meminfoNuma, { roots: { sysfs: root } }), { code: 'ENOENT' });
    assert.deepEqual(await run(meminfoNuma, { roots: { sysfs: path.join(root, 'nothing') } }), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('buddyinfo: one gauge per node, zone and order', async () => {
  const fs = await run(buddyinfo);
  const m = seriesMap(fs);
  assert.equal(m.size, 4 * 11);
  assert.equal(m.get('node_buddyinfo_blocks{node="0",size="0",zone="Normal"}'), 20417);
  assert.equal(m.get('node_buddyinfo_blocks{node="1",size="10",zone="Normal"}'), 1);
  assert.deepEqual(types(fs), { node_buddyinfo_blocks: 'gauge' });
});

test('zoneinfo: gauges, counters, protection; per-node stats on the first populated zone', async () => {
  const fs = await run(zoneinfo);
  const m = seriesMap(fs);
  assert.equal(m.get('node_zoneinfo_nr_active_anon_pages{node="0",zone="DMA"}'), 1187302);
  assert.equal(m.get('node_zoneinfo_nr_active_anon_pages{node="1",zone="Normal"}'), 411204);
  assert.equal(familySeries(m, 'node_zoneinfo_nr_active_anon_pages').size, 2);
  assert.equal(m.get('node_zoneinfo_numa_hit_total{node="0",zone="Normal"}'), 9869412382);
  assert.equal(m.get('node_zoneinfo_nr_kernel_stacks{node="0",zone="DMA"}'), 28864);
  assert.equal(m.get('node_zoneinfo_protection_1{node="0",zone="DMA"}'), 1918);
  // Every zone, populated or not, has watermarks and a protection array.
  assert.equal(familySeries(m, 'node_zoneinfo_min_pages').size, 8);
  assert.equal(familySeries(m, 'node_zoneinfo_protection_4').size, 8);
  assert.equal(familySeries(m, 'node_zoneinfo_nr_free_pages').size, 4);
  const t = types(fs);
  assert.equal(t.node_zoneinfo_nr_dirtied_total, 'counter');
  assert.equal(t.node_zoneinfo_numa_other_total, 'counter');
  assert.equal(t.node_zoneinfo_managed_pages, 'gauge');
  assert.equal(t.node_zoneinfo_protection_0, 'gauge');
  assert.equal(t.node_zoneinfo_scanned_pages, undefined, 'no "scanned" line in a 6.x kernel');
});

test('slabinfo: five gauges per cache; include and exclude both apply', async () => {
  const all = seriesMap(await run(slabinfo));
  assert.equal(all.size, 8 * 5);
  assert.equal(all.get('node_slabinfo_object_size_bytes{slab="ext4_inode_cache"}'), 1184);
  assert.equal(all.get('node_slabinfo_pages_per_slab{slab="kmalloc-8k"}'), 8);
  const some = seriesMap(await run(slabinfo, { options: { 'collector.slabinfo.slabs-include': '^kmalloc', 'collector.slabinfo.slabs-exclude': 'rcl' } }));
  assert.deepEqual([...familySeries(some, 'node_slabinfo_objects').keys()].sort(), ['node_slabinfo_objects{slab="kmalloc-64"}', 'node_slabinfo_objects{slab="kmalloc-8k"}']);
  await assert.rejects(run(slabinfo, { options: { 'collector.slabinfo.slabs-exclude': '[' } }), ConfigError);
});

test('ksmd: every file, sleep in seconds, a negative general_profit', async () => {
  const fs = await run(ksmd);
  assert.deepEqual(Object.fromEntries(seriesMap(fs)), {
    'node_ksmd_full_scans_total{}': 1873,
    'node_ksmd_general_profit_bytes{}': -1335296,
    'node_ksmd_merge_across_nodes{}': 1,
    'node_ksmd_pages_shared{}': 118,
    'node_ksmd_pages_sharing{}': 204,
    'node_ksmd_pages_to_scan{}': 100,
    'node_ksmd_pages_unshared{}': 9812,
    'node_ksmd_pages_volatile{}': 1209,
    'node_ksmd_run{}': 1,
    'node_ksmd_sleep_seconds{}': 0.2,
  });
  assert.equal(types(fs).node_ksmd_full_scans_total, 'counter');
});

test('ksmd: files an older kernel lacks are skipped; a malformed one fails it', async () => {
  const root = scratch('kernel', 'mm', 'ksm');
  try {
    rmSync(path.join(root, 'kernel/mm/ksm/general_profit'));
    const m = seriesMap(await run(ksmd, { roots: { sysfs: root } }));
    assert.equal(m.size, 9);
    assert.equal(m.has('node_ksmd_general_profit_bytes{}'), false);
    writeFileSync(path.join(root, 'kernel/mm/ksm/pages_shared'), 'lots\n');
    await assert.rejects(run(ksmd, { roots: { sysfs: root } }), (err: unknown) => err instanceof ParseError && /pages_shared/.test(err.message));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('malformed input fails only that collector, naming the file', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'nets-mem-'));
  try {
    writeFileSync(path.join(root, 'zoneinfo'), 'Node 0, zone DMA\n        min      x\n');
    writeFileSync(path.join(root, 'buddyinfo'), 'Node 0, zone DMA 1 2\nNode 0, zone Normal 1\n');
    writeFileSync(path.join(root, 'slabinfo'), 'slabinfo - version: 2.1\nkmem_cache 1 2 3\n');
    writeFileSync(path.join(root, 'vmstat'), 'pgfault\n');
    for (const def of [zoneinfo, buddyinfo, slabinfo, vmstat]) {
      await assert.rejects(run(def, { roots: { procfs: root } }), (err: unknown) => err instanceof ParseError && err.file === path.join(root, def.name));
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
