import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { readAttributes } from '../../src/read/files.js';
import {
  isNvmeSubsystemName,
  NVME_SUBSYSTEM_CONTROLLER_FILES,
  NVME_SUBSYSTEM_FILES,
  nvmeAttributeText,
  nvmePathState,
  nvmeSubsystemMembers,
} from '../../src/sysfs/nvme-subsystem.js';
import { fixturePath } from '../helpers/repo.js';

test('isNvmeSubsystemName: the prefix only, as procfs', () => {
  assert.deepEqual(['nvme-subsys0', 'nvme-subsys12', 'nvme-subsysX', 'nvme0', 'subsys0', ''].map(isNvmeSubsystemName), [true, true, true, false, false, false]);
});

const memberCases: { name: string; entries: string[]; controllers: string[]; namespaces: string[] }[] = [
  { name: 'empty directory', entries: [], controllers: [], namespaces: [] },
  {
    name: 'attributes, power/ and subsystem ignored; sorted by name as os.ReadDir',
    entries: ['uevent', 'nvme10', 'iopolicy', 'nvme2', 'power', 'nvme2n1', 'subsystem', 'nvme10n1', 'model'],
    controllers: ['nvme10', 'nvme2'],
    namespaces: ['nvme10n1', 'nvme2n1'],
  },
  {
    name: 'near misses: controller paths (nvme0c1n1), partitions, letters, empty numbers',
    entries: ['nvme0c1n1', 'nvme0n1p1', 'nvmeX', 'nvme', 'nvme0n', 'nvmen1', 'Nvme0', 'nvme0 ', 'nvme-subsys0'],
    controllers: [],
    namespaces: [],
  },
  { name: 'a duplicate namespace entry counts once', entries: ['nvme1n1', 'nvme1n1', 'nvme1'], controllers: ['nvme1'], namespaces: ['nvme1n1'] },
];

for (const c of memberCases) {
  test(`nvmeSubsystemMembers: ${c.name}`, () => {
    assert.deepEqual(nvmeSubsystemMembers(c.entries), { controllers: c.controllers, namespaces: c.namespaces });
  });
}

const long = `nqn.2024-03.com.example:${'x'.repeat(150)}`;
const textCases: { name: string; raw: string; want: string }[] = [
  { name: 'empty', raw: '', want: '' },
  { name: 'newline only', raw: '\n', want: '' },
  { name: 'kernel padding trimmed both ends', raw: 'Samsung SSD 990 PRO 2TB                 \n', want: 'Samsung SSD 990 PRO 2TB' },
  { name: 'inner spaces kept', raw: 'deleting (no IO)\n', want: 'deleting (no IO)' },
  { name: 'longer than 128 bytes: the first 128', raw: `${long}\n`, want: long.slice(0, 128) },
  { name: 'whitespace at the 128-byte cut trimmed', raw: `${'a'.repeat(127)}  tail\n`, want: 'a'.repeat(127) },
];

for (const c of textCases) {
  test(`nvmeAttributeText: ${c.name}`, () => {
    assert.equal(nvmeAttributeText(c.raw), c.want);
  });
}

test('nvmePathState: kernel states, the "(no IO)" variant, anything else unknown', () => {
  const states: [string, string][] = [
    ['live', 'live'],
    ['new', 'new'],
    ['resetting', 'resetting'],
    ['connecting', 'connecting'],
    ['deleting', 'deleting'],
    ['deleting (no IO)', 'deleting'],
    ['dead', 'dead'],
    ['unknown', 'unknown'],
    ['LIVE', 'unknown'],
    ['', 'unknown'],
    ['live ', 'unknown'],
    ['\u0000\u00ff', 'unknown'],
  ];
  assert.deepEqual(
    states.map(([raw]) => [raw, nvmePathState(raw)]),
    states,
  );
});

test('fixture sys/class/nvme-subsystem', async () => {
  const base = fixturePath('sys', 'class', 'nvme-subsystem');
  assert.deepEqual((await readdir(base)).filter(isNvmeSubsystemName).sort(), ['nvme-subsys0', 'nvme-subsys1']);
  const members = nvmeSubsystemMembers(await readdir(`${base}/nvme-subsys1`));
  assert.deepEqual(members, { controllers: ['nvme1', 'nvme2'], namespaces: ['nvme1n1', 'nvme1n2'] });
  const subsys = await readAttributes(`${base}/nvme-subsys1`, NVME_SUBSYSTEM_FILES, false);
  assert.equal(subsys.size, NVME_SUBSYSTEM_FILES.length);
  assert.equal(nvmeAttributeText(subsys.get('subsysnqn') ?? '').length, 128);
  assert.equal(nvmeAttributeText(subsys.get('iopolicy') ?? ''), 'round-robin');
  const ctrl = await readAttributes(`${base}/nvme-subsys1/nvme1`, NVME_SUBSYSTEM_CONTROLLER_FILES, false);
  assert.deepEqual(
    [...ctrl].map(([k, v]) => [k, nvmeAttributeText(v)]),
    [
      ['state', 'connecting'],
      ['transport', 'tcp'],
      ['address', 'traddr=192.168.10.21,trsvcid=4420,src_addr=192.168.10.5'],
    ],
  );
});
