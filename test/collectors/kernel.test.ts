import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NoDataError } from '../../src/collector.js';
import type { MetricFamily } from '../helpers/series.js';
import { entropy } from '../../src/collectors/entropy.js';
import { filefd } from '../../src/collectors/filefd.js';
import { kernelHung } from '../../src/collectors/kernel-hung.js';
import { pressure } from '../../src/collectors/pressure.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { fixturePath } from '../helpers/repo.js';
import { collectSeries, collectOnce, buildCollector, seriesMap } from '../helpers/series.js';

const fixtures = { procfs: fixturePath('proc') };
const types = (fs: MetricFamily[]) => Object.fromEntries(fs.map((f) => [f.name, f.type]));

/** A scratch procfs holding a copy of fixtures/proc/<rel> for each rel. */
function scratch(...rels: string[]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'nets-kern-'));
  for (const rel of rels) cpSync(fixturePath('proc', rel), path.join(root, rel), { recursive: true });
  return root;
}

test('pressure: seconds from µs, some/full per resource, all counters', async () => {
  const fs = await collectOnce(buildCollector(pressure, { roots: fixtures }));
  // Divided by 1000 twice, as upstream: the same float as node_exporter (1.4028889999999998, not 1.402889).
  const s = (us: number) => us / 1000 / 1000;
  assert.deepEqual(Object.fromEntries(seriesMap(fs)), {
    // cpu's "full" line is not reported, as upstream.
    'node_pressure_cpu_waiting_seconds_total{}': s(987654321),
    'node_pressure_io_waiting_seconds_total{}': s(45123987),
    'node_pressure_io_stalled_seconds_total{}': s(30117002),
    'node_pressure_memory_waiting_seconds_total{}': s(1402889),
    'node_pressure_memory_stalled_seconds_total{}': s(1210554),
    'node_pressure_irq_stalled_seconds_total{}': s(71234),
  });
  assert.equal(s(1402889), 1.4028889999999998);
  assert.ok(fs.every((f) => f.type === 'counter'));
});

test('pressure: a missing resource is skipped, none at all is no data', async () => {
  const root = scratch('pressure');
  try {
    const paths = { procfs: root };
    rmSync(path.join(root, 'pressure/irq'));
    rmSync(path.join(root, 'pressure/memory'));
    assert.deepEqual(
      [...(await collectSeries(pressure, { roots: paths })).keys()],
      ['node_pressure_cpu_waiting_seconds_total{}', 'node_pressure_io_waiting_seconds_total{}', 'node_pressure_io_stalled_seconds_total{}'],
    );
    rmSync(path.join(root, 'pressure'), { recursive: true });
    await assert.rejects(collectSeries(pressure, { roots: paths }), NoDataError);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('pressure: a file without the line upstream needs is no data; a malformed one fails', async () => {
  const root = scratch('pressure');
  try {
    const paths = { procfs: root };
    writeFileSync(path.join(root, 'pressure/io'), 'some avg10=0.00 avg60=0.00 avg300=0.00 total=5\n');
    await assert.rejects(collectSeries(pressure, { roots: paths }), (err: unknown) => err instanceof NoDataError && /io.*"full"/.test(err.message));
    writeFileSync(path.join(root, 'pressure/io'), '');
    await assert.rejects(collectSeries(pressure, { roots: paths }), (err: unknown) => err instanceof NoDataError && /io.*"some"/.test(err.message));
    writeFileSync(path.join(root, 'pressure/io'), 'some avg10=0.00 avg60=0.00 avg300=0.00 total=x\n');
    await assert.rejects(collectSeries(pressure, { roots: paths }), (err: unknown) => err instanceof ParseError && err.file === path.join(root, 'pressure/io'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('kernel_hung: a counter; no file is no data, a bad one fails', async () => {
  const fs = await collectOnce(buildCollector(kernelHung, { roots: fixtures }));
  assert.deepEqual(Object.fromEntries(seriesMap(fs)), { 'node_kernel_hung_tasks_total{}': 2 });
  assert.deepEqual(types(fs), { node_kernel_hung_tasks_total: 'counter' });
  const root = mkdtempSync(path.join(tmpdir(), 'nets-kern-'));
  try {
    await assert.rejects(collectSeries(kernelHung, { roots: { procfs: root } }), NoDataError);
    mkdirSync(path.join(root, 'sys/kernel'), { recursive: true });
    writeFileSync(path.join(root, 'sys/kernel/hung_task_detect_count'), '-1\n');
    await assert.rejects(collectSeries(kernelHung, { roots: { procfs: root } }), ParseError);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('filefd: allocated and maximum gauges, file-max at LONG_MAX', async () => {
  const fs = await collectOnce(buildCollector(filefd, { roots: fixtures }));
  assert.deepEqual(Object.fromEntries(seriesMap(fs)), { 'node_filefd_allocated{}': 7584, 'node_filefd_maximum{}': 9223372036854775807 });
  assert.deepEqual(types(fs), { node_filefd_allocated: 'gauge', node_filefd_maximum: 'gauge' });
  await assert.rejects(collectSeries(filefd, { roots: { procfs: '/nonexistent' } }), { code: 'ENOENT' });
});

test('entropy: both gauges; a missing poolsize fails it', async () => {
  const fs = await collectOnce(buildCollector(entropy, { roots: fixtures }));
  assert.deepEqual(Object.fromEntries(seriesMap(fs)), { 'node_entropy_available_bits{}': 256, 'node_entropy_pool_size_bits{}': 256 });
  assert.deepEqual(types(fs), { node_entropy_available_bits: 'gauge', node_entropy_pool_size_bits: 'gauge' });
  const root = scratch('sys/kernel/random');
  try {
    rmSync(path.join(root, 'sys/kernel/random/poolsize'));
    await assert.rejects(collectSeries(entropy, { roots: { procfs: root } }), { code: 'ENOENT' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
