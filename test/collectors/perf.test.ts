import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/collector.js';
import { perf } from '../../src/collectors/perf.js';
import { createLogger } from '../../src/logger.js';
import { perfEventOpen, SyscallError } from '../../src/native.js';
import { encodeAttr, PERF_TYPE_SOFTWARE } from '../../src/perf/attr.js';
import { buildCollector, collectOnce, seriesMap } from '../helpers/series.js';

/** Why cpu-wide software counters can't be opened here, or undefined when they can. */
async function perfMissing(): Promise<string | undefined> {
  try {
    await perfEventOpen(encodeAttr({ type: PERF_TYPE_SOFTWARE, config: 3 }), -1, 0);
    return undefined;
  } catch (err) {
    if (err instanceof SyscallError) return `perf_event_open for a CPU-wide counter fails here (${err.code}); needs root or CAP_PERFMON`;
    throw err;
  }
}

test('perf: bad --collector.perf.cpus or tracepoint values are config errors', () => {
  const cases: Record<string, string | string[]>[] = [
    { 'collector.perf.cpus': '0-x' },
    { 'collector.perf.cpus': '2-1' },
    { 'collector.perf.tracepoint': ['sched'] },
    { 'collector.perf.tracepoint': ['a:b:c'] },
  ];
  for (const options of cases) {
    assert.throws(() => buildCollector(perf, { options }), ConfigError, JSON.stringify(options));
  }
});

test('perf: unknown profiler names are logged and the rest still open', async (t) => {
  const lines: string[] = [];
  const logger = createLogger('debug', 'logfmt', (l) => lines.push(l));
  const c = buildCollector(perf, {
    logger,
    options: {
      'collector.perf.cpus': '0',
      'collector.perf.software-profilers': ['ContextSwitch', 'Bogus'],
      'collector.perf.disable-hardware-profilers': true,
      'collector.perf.disable-cache-profilers': true,
    },
  });
  assert.ok(
    lines.some((l) => l.includes('unknown software profiler') && l.includes('profiler=Bogus')),
    lines.join('\n'),
  );
  const missing = await perfMissing();
  if (missing !== undefined) {
    await assert.rejects(collectOnce(c), /no perf counter could be opened/);
    return t.skip(missing);
  }
  const m = seriesMap(await collectOnce(c));
  assert.deepEqual([...m.keys()], ['node_perf_context_switches_total{cpu="0"}']);
});

test('perf: software counters count per CPU and only go up', async (t) => {
  const missing = await perfMissing();
  if (missing !== undefined) return t.skip(missing);
  const c = buildCollector(perf, { options: { 'collector.perf.cpus': '0', 'collector.perf.disable-hardware-profilers': true, 'collector.perf.disable-cache-profilers': true } });
  const first = seriesMap(await collectOnce(c));
  assert.deepEqual([...first.keys()].sort(), [
    'node_perf_context_switches_total{cpu="0"}',
    'node_perf_cpu_migrations_total{cpu="0"}',
    'node_perf_major_faults_total{cpu="0"}',
    'node_perf_minor_faults_total{cpu="0"}',
    'node_perf_page_faults_total{cpu="0"}',
  ]);
  // Make some minor faults and switches happen, then read again.
  for (let i = 0; i < 20; i++) {
    Buffer.alloc(1 << 20).fill(1);
    await new Promise((r) => setTimeout(r, 1));
  }
  const second = seriesMap(await collectOnce(c));
  for (const [k, v] of first) assert.ok((second.get(k) ?? -1) >= v, `${k} went from ${v} to ${String(second.get(k))}`);
  const faults = (m: Map<string, number>) => m.get('node_perf_page_faults_total{cpu="0"}') ?? 0;
  const switches = (m: Map<string, number>) => m.get('node_perf_context_switches_total{cpu="0"}') ?? 0;
  assert.ok(faults(second) + switches(second) > faults(first) + switches(first), 'nothing counted on cpu 0');
});

test('perf: with every profiler disabled the collector fails every scrape, saying why', async () => {
  const c = buildCollector(perf, {
    options: { 'collector.perf.disable-hardware-profilers': true, 'collector.perf.disable-software-profilers': true, 'collector.perf.disable-cache-profilers': true },
  });
  await assert.rejects(collectOnce(c), /no perf counter could be opened/);
  await assert.rejects(collectOnce(c), /no perf counter could be opened/);
});

test('perf: a CPU that does not exist fails the collector, not the process', async () => {
  const c = buildCollector(perf, { options: { 'collector.perf.cpus': '4095', 'collector.perf.disable-hardware-profilers': true, 'collector.perf.disable-cache-profilers': true } });
  await assert.rejects(collectOnce(c), /no perf counter could be opened: (ENODEV|EINVAL|EACCES|EPERM)/);
});
