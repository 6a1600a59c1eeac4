import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuinfoFormatFor, parseCpuinfo, type CpuinfoEntry, type CpuinfoFormat } from '../../src/procfs/cpuinfo.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const X86_CPU =
  'processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 33\nmodel name\t: AMD Ryzen 5 5600X 6-Core Processor\nstepping\t: 0\nmicrocode\t: 0xa201016\ncpu MHz\t\t: 3700.000\ncache size\t: 512 KB\nphysical id\t: 0\ncore id\t\t: 0\nflags\t\t: fpu  vme de\nbugs\t\t: sysret_ss_attrs spectre_v1\npower management: ts ttp\n';

const cases: { name: string; format: CpuinfoFormat; text: string; want?: Partial<CpuinfoEntry>[]; error?: RegExp }[] = [
  { name: 'empty', format: 'x86', text: '\n\n', error: /empty/ },
  { name: 'x86: does not start with processor', format: 'x86', text: 'vendor_id\t: GenuineIntel\n', error: /does not start/ },
  { name: 'x86: truncated first line', format: 'x86', text: 'processor\t:\n', error: /does not start/ },
  { name: 'x86: invalid processor number', format: 'x86', text: 'processor\t: zero\n', error: /processor number "zero"/ },
  { name: 'x86: invalid cpu MHz', format: 'x86', text: 'processor\t: 0\ncpu MHz\t\t: fast\n', error: /cpu MHz "fast"/ },
  {
    name: 'x86: valid, values verbatim, unknown keys ignored, empty flags line',
    format: 'x86',
    text: `${X86_CPU}\nprocessor\t: 1\nflags\t\t:\nfuture key\t: 1\n`,
    want: [
      {
        processor: 0,
        vendorId: 'AuthenticAMD',
        cpuFamily: '25',
        model: '33',
        modelName: 'AMD Ryzen 5 5600X 6-Core Processor',
        stepping: '0',
        microcode: '0xa201016',
        cpuMHz: 3700,
        cacheSize: '512 KB',
        physicalId: '0',
        coreId: '0',
        flags: ['fpu', 'vme', 'de'],
        bugs: ['sysret_ss_attrs', 'spectre_v1'],
      },
      { processor: 1, vendorId: '', cpuMHz: 0, flags: [], bugs: [] },
    ],
  },
  { name: 'arm: does not start with processor', format: 'arm', text: 'BogoMIPS\t: 38.40\n', error: /does not start/ },
  { name: 'arm: invalid BogoMIPS', format: 'arm', text: 'processor\t: 0\nBogoMIPS\t: lots\n', error: /BogoMIPS "lots"/ },
  {
    name: 'arm: old 32-bit layout, one CPU counted by BogoMIPS, shared model',
    format: 'arm',
    text: 'Processor\t: ARMv6-compatible processor rev 7 (v6l)\nBogoMIPS\t: 697.95\nFeatures\t: swp half thumb fastmult vfp edsp java tls\nHardware\t: BCM2708\n',
    want: [{ processor: 0, modelName: 'ARMv6-compatible processor rev 7 (v6l)', flags: ['swp', 'half', 'thumb', 'fastmult', 'vfp', 'edsp', 'java', 'tls'] }],
  },
  {
    name: 'arm: too few fields, no Features line: no flags',
    format: 'arm',
    text: 'processor\t: 0\nmodel name\t: ARMv7 Processor rev 4 (v7l)\n',
    want: [{ processor: 0, modelName: 'ARMv7 Processor rev 4 (v7l)', flags: [] }],
  },
];

for (const c of cases) {
  test(`parseCpuinfo: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseCpuinfo(c.text, c.format),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
      return;
    }
    const got = parseCpuinfo(c.text, c.format);
    assert.equal(got.length, c.want?.length);
    c.want?.forEach((w, i) => {
      for (const [k, v] of Object.entries(w)) assert.deepEqual(got[i]?.[k as keyof CpuinfoEntry], v, `cpu ${i} ${k}`);
    });
  });
}

test('cpuinfoFormatFor: by the architecture we run on', () => {
  assert.deepEqual(['x64', 'ia32', 'arm64', 'arm', 'ppc64', 's390x', 'riscv64'].map(cpuinfoFormatFor), ['x86', 'x86', 'arm', 'arm', undefined, undefined, undefined]);
});

test('fixture /proc/cpuinfo: x86 host with cpu2 offline', async () => {
  const cpus = await readAndParse(fixturePath('proc', 'cpuinfo'), (t) => parseCpuinfo(t, 'x86'));
  assert.deepEqual(
    cpus.map((c) => [c.processor, c.coreId, c.cpuMHz]),
    [
      [0, '0', 4000],
      [1, '1', 800.012],
      [3, '1', 3999.998],
    ],
  );
  assert.equal(cpus[0]?.modelName, 'Intel(R) Pentium(R) Gold G6400 CPU @ 4.00GHz');
  assert.equal(cpus[0]?.cacheSize, '4096 KB');
  assert.ok(cpus[0]?.flags.includes('aes'));
  assert.ok(!cpus[0]?.flags.some((f) => f.startsWith('avx')), 'a Pentium Gold has no AVX');
  assert.ok(!cpus[0]?.flags.includes('preemption_timer'), '"vmx flags" is not "flags"');
  assert.deepEqual(cpus[2]?.bugs.slice(0, 3), ['spectre_v1', 'spectre_v2', 'spec_store_bypass']);
});

test('fixture arm64 /proc/cpuinfo: Raspberry Pi 4', async () => {
  const cpus = await readAndParse(fixturePath('arm64', 'proc', 'cpuinfo'), (t) => parseCpuinfo(t, 'arm'));
  assert.deepEqual(
    cpus.map((c) => c.processor),
    [0, 1, 2, 3],
  );
  assert.deepEqual(cpus[3]?.flags, ['fp', 'asimd', 'evtstrm', 'crc32', 'cpuid']);
  assert.equal(cpus[0]?.modelName, '');
});
