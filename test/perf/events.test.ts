import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CACHE_EVENTS, HARDWARE_EVENTS, parseTracepoint, parseTracepointId, selectEvents, SOFTWARE_EVENTS, tracefsMount } from '../../src/perf/events.js';
import { ParseError } from '../../src/procfs/parse-error.js';

test('event tables: upstream metric names, one event per metric, configs per linux/perf_event.h', () => {
  const all = [...HARDWARE_EVENTS, ...SOFTWARE_EVENTS, ...CACHE_EVENTS];
  assert.equal(new Set(all.map((e) => e.metric)).size, all.length);
  assert.equal(new Set(all.map((e) => e.profiler)).size, all.length);
  for (const e of all) assert.match(e.metric, /^[a-z0-9_]+_total$/);
  const byMetric = new Map(all.map((e) => [e.metric, e]));
  // A few pinned against the header: PERF_COUNT_HW_REF_CPU_CYCLES = 9, SW_PAGE_FAULTS_MAJ = 6,
  // LL (2) | WRITE (1) << 8 | MISS (1) << 16, ITLB (4) | READ | ACCESS.
  assert.deepEqual([byMetric.get('ref_cpucycles_total')?.type, byMetric.get('ref_cpucycles_total')?.config], [0, 9]);
  assert.deepEqual([byMetric.get('major_faults_total')?.type, byMetric.get('major_faults_total')?.config], [1, 6]);
  assert.deepEqual([byMetric.get('cache_ll_write_misses_total')?.type, byMetric.get('cache_ll_write_misses_total')?.config], [3, 0x10102]);
  assert.equal(byMetric.get('cache_tlb_instr_read_hits_total')?.config, 4);
  assert.equal(HARDWARE_EVENTS.length, 9);
  assert.equal(SOFTWARE_EVENTS.length, 5);
  assert.equal(CACHE_EVENTS.length, 16);
});

test('profiler flags: none given selects the group, names select, unknown names are returned', () => {
  assert.equal(selectEvents(SOFTWARE_EVENTS, []).events.length, 5);
  const s = selectEvents(HARDWARE_EVENTS, ['CpuInstr', 'Nope', 'CpuCycles']);
  assert.deepEqual(
    s.events.map((e) => e.metric),
    ['cpucycles_total', 'instructions_total'],
  );
  assert.deepEqual(s.unknown, ['Nope']);
  // A software profiler's name is unknown to the hardware group.
  assert.deepEqual(selectEvents(HARDWARE_EVENTS, ['PageFault']), { events: [], unknown: ['PageFault'] });
});

test('tracepoint flag values', () => {
  assert.deepEqual(parseTracepoint('sched:sched_switch'), { subsystem: 'sched', event: 'sched_switch' });
  for (const bad of ['sched', 'a:b:c', ':x', 'x:', '../x:id', 'sched:sched switch', '']) {
    assert.throws(() => parseTracepoint(bad), ParseError, bad);
  }
});

test('tracefs mount point from /proc/mounts', () => {
  const mounts = [
    'proc /proc proc rw,nosuid 0 0',
    'debugfs /sys/kernel/debug debugfs rw 0 0',
    'nodev /sys/kernel/tracing tracefs rw 0 0',
    'tracefs /sys/kernel/debug/tracing tracefs rw 0 0',
  ].join('\n');
  assert.equal(tracefsMount(mounts), '/sys/kernel/tracing');
  assert.equal(tracefsMount('proc /proc proc rw 0 0\n'), undefined);
  assert.equal(tracefsMount(''), undefined);
  assert.equal(tracefsMount('x /t tracefs'), undefined); // truncated line
});

test('tracepoint id files', () => {
  assert.equal(parseTracepointId('317\n'), 317);
  for (const bad of ['', '\n', 'x', '-1', '1 2', '0x10']) assert.throws(() => parseTracepointId(bad), ParseError, JSON.stringify(bad));
});
