import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cpuVulnerabilities } from '../../src/collectors/cpu-vulnerabilities.js';
import { buildCollector, collectOnce, collectSeries } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';

test('cpu_vulnerabilities: one series per file, state and mitigation as labels', async () => {
  const m = await collectSeries(cpuVulnerabilities, { roots: { sysfs: fixturePath('sys') } });
  assert.equal(m.size, 12);
  assert.ok([...m.values()].every((v) => v === 1));
  for (const key of [
    'node_cpu_vulnerabilities_info{codename="meltdown",mitigation="",state="not affected"}',
    'node_cpu_vulnerabilities_info{codename="tsx_async_abort",mitigation="",state="vulnerable"}',
    'node_cpu_vulnerabilities_info{codename="mmio_stale_data",mitigation="Clear CPU buffers attempted, no microcode; SMT vulnerable",state="vulnerable"}',
    'node_cpu_vulnerabilities_info{codename="retbleed",mitigation="Enhanced IBRS",state="mitigation"}',
    'node_cpu_vulnerabilities_info{codename="srbds",mitigation="Dependent on hypervisor status",state="unknown"}',
    'node_cpu_vulnerabilities_info{codename="itlb_multihit",mitigation="KVM: Mitigation: VMX disabled",state="unknown"}',
  ])
    assert.ok(m.has(key), key);
});

test('cpu_vulnerabilities: no directory (kernel before 4.15) is empty, not a failure; an unreadable entry fails', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vulns-'));
  try {
    assert.equal((await collectSeries(cpuVulnerabilities, { roots: { sysfs: dir } })).size, 0);
    mkdirSync(path.join(dir, 'devices/system/cpu/vulnerabilities/not_a_file'), { recursive: true });
    await assert.rejects(collectOnce(buildCollector(cpuVulnerabilities, { roots: { sysfs: dir } })), { code: 'EISDIR' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
