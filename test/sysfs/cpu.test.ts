import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { cpuDirNumber, parseCpuList, parseCpuOnline } from '../../src/sysfs/cpu.js';
import { parseVulnerability, type Vulnerability } from '../../src/sysfs/cpu-vulnerabilities.js';
import { fixturePath } from '../helpers/repo.js';

const lists: { name: string; text: string; want?: number[]; error?: RegExp }[] = [
  { name: 'empty', text: '', want: [] },
  { name: 'empty line (no isolated CPUs)', text: '\n', want: [] },
  { name: 'truncated range', text: '0-\n', error: /invalid CPU list item "0-"/ },
  { name: 'too many range fields', text: '1-2-3\n', error: /"1-2-3"/ },
  { name: 'invalid number', text: '1,x\n', error: /"x"/ },
  { name: 'absurd CPU number', text: '0-4294967295\n', error: /out of range/ },
  { name: 'valid: singles and ranges in order, repeats kept', text: '1,3-5,9,3\n', want: [1, 3, 4, 5, 9, 3] },
];

for (const c of lists) {
  test(`parseCpuList: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseCpuList(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(parseCpuList(c.text), c.want);
    }
  });
}

test('cpuDirNumber and parseCpuOnline', () => {
  assert.deepEqual(['cpu0', 'cpu17', 'cpufreq', 'cpuidle', 'cpu', 'cpu1a'].map(cpuDirNumber), [0, 17, undefined, undefined, undefined, undefined]);
  assert.deepEqual(['1\n', '0\n', '', 'yes'].map(parseCpuOnline), [true, false, false, false]);
});

const vulns: [string, Vulnerability][] = [
  ['', { state: 'unknown', mitigation: '' }],
  ['Not affected\n', { state: 'not affected', mitigation: '' }],
  ['Vulnerable\n', { state: 'vulnerable', mitigation: '' }],
  ['Vulnerable: Clear CPU buffers attempted, no microcode; SMT vulnerable\n', { state: 'vulnerable', mitigation: 'Clear CPU buffers attempted, no microcode; SMT vulnerable' }],
  ['Mitigation:  PTI\n', { state: 'mitigation', mitigation: 'PTI' }],
  ['Unknown: Dependent on hypervisor status\n', { state: 'unknown', mitigation: 'Dependent on hypervisor status' }],
  ['KVM: Mitigation: VMX disabled\n', { state: 'unknown', mitigation: 'KVM: Mitigation: VMX disabled' }],
  ['Processor vulnerable\n', { state: 'unknown', mitigation: 'Processor vulnerable' }],
];

test('parseVulnerability: every state, and wording we do not know', () => {
  assert.deepEqual(
    vulns.map(([text]) => parseVulnerability(text)),
    vulns.map(([, v]) => v),
  );
});

test('fixture sysfs cpu lists and a vulnerability file', async () => {
  const cpu = (f: string) => fixturePath('sys', 'devices', 'system', 'cpu', f);
  assert.deepEqual(await readAndParse(cpu('online'), parseCpuList), [0, 1, 3]);
  assert.deepEqual(await readAndParse(cpu('offline'), parseCpuList), [2]);
  assert.deepEqual(await readAndParse(cpu('isolated'), parseCpuList), [3]);
  assert.deepEqual(await readAndParse(cpu('vulnerabilities/spectre_v2'), parseVulnerability), {
    state: 'mitigation',
    mitigation: 'Enhanced / Automatic IBRS; IBPB: conditional; RSB filling; PBRSB-eIBRS: SW sequence; BHI: SW loop, KVM: SW loop',
  });
});
