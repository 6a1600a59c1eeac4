import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { parsePciDevice, parsePciLocation, pciLocationLabels, type PciFile } from '../../src/sysfs/pci-device.js';
import { parsePciIds, pciNames } from '../../src/sysfs/pci-ids.js';
import { fixturePath } from '../helpers/repo.js';

const ID_FILES: [PciFile, string][] = [
  ['class', '0x010802'],
  ['vendor', '0x144d'],
  ['device', '0xa80a'],
  ['subsystem_vendor', '0x144d'],
  ['subsystem_device', '0xa801'],
  ['revision', '0x00'],
];
const device = (extra: [PciFile, string][] = [], drop?: PciFile) =>
  parsePciDevice('../../../devices/pci0000:00/0000:00:1c.0/0000:02:00.0', new Map([...ID_FILES, ...extra].filter(([f]) => f !== drop)));

test('parsePciLocation', () => {
  assert.deepEqual(parsePciLocation('0000:02:1f.7'), { segment: 0, bus: 2, device: 0x1f, function: 7 });
  assert.deepEqual(pciLocationLabels(parsePciLocation('10000:e2:00.1')), ['10000', 'e2', '00', '1']);
  for (const bad of ['', '0000:02', '0000:02:00', '0000:02:00.1.2', '0000:zz:00.0', 'pci0000:00']) {
    assert.throws(() => parsePciLocation(bad), ParseError, bad);
  }
});

const cases: { name: string; extra?: [PciFile, string][]; drop?: PciFile; error?: RegExp; check?: (d: ReturnType<typeof device>) => void }[] = [
  { name: 'required ID file missing', drop: 'revision', error: /missing revision/ },
  { name: 'invalid ID', extra: [['vendor', 'intel']], error: /invalid vendor/ },
  { name: 'link speed with an unknown unit', extra: [['max_link_speed', '2.5 GT/s']], error: /unknown unit/ },
  { name: 'link speed truncated', extra: [['max_link_speed', '16.0']], error: /invalid max_link_speed/ },
  { name: 'invalid numa node', extra: [['numa_node', 'none']], error: /invalid numa_node/ },
  {
    name: 'valid: only the IDs, parent from the link target',
    check: (d) => {
      assert.equal(d.class, 0x010802);
      assert.deepEqual(d.parent, { segment: 0, bus: 0, device: 0x1c, function: 0 });
      assert.equal(d.maxLinkSpeed, undefined);
      assert.equal(d.powerState, undefined);
    },
  },
  {
    name: 'valid: "Unknown" link attributes and empty files read as absent, unknown files ignored',
    extra: [
      ['current_link_speed', 'Unknown'],
      ['max_link_speed', '16.0 GT/s PCIe'],
      ['current_link_width', ''],
      ['numa_node', '-1'],
      ['sriov_totalvfs', '32'],
      ['d3cold_allowed', '1'],
      ['power_state', 'D3cold'],
    ],
    check: (d) => {
      assert.equal(d.currentLinkSpeed, undefined);
      assert.equal(d.maxLinkSpeed, 16);
      assert.equal(d.currentLinkWidth, undefined);
      assert.equal(d.numaNode, -1);
      assert.equal(d.sriovTotalvfs, 32);
      assert.equal(d.d3coldAllowed, true);
      assert.equal(d.powerState, 'D3cold');
    },
  },
];
for (const c of cases) {
  test(`parsePciDevice: ${c.name}`, () => {
    if (c.error !== undefined)
      assert.throws(
        () => device(c.extra, c.drop),
        (e: unknown) => e instanceof ParseError && c.error!.test(e.message),
      );
    else c.check?.(device(c.extra, c.drop));
  });
}

test('parsePciDevice: a device on the root complex has no parent', () => {
  assert.equal(parsePciDevice('../../../devices/pci0000:00/0000:00:1c.0', new Map(ID_FILES)).parent, undefined);
});

const IDS = [
  '# comment',
  '',
  '8086  Intel Corporation',
  '\ta338  Cannon Lake PCH PCI Express Root Port #1',
  '\t\t1028 0869  Root Port of a Dell',
  '\t\t1028  malformed subsystem',
  '1002  Advanced Micro Devices, Inc. [AMD/ATI]',
  'bad vendor line with single spaces',
  'C 01  Mass storage controller',
  '\t08  Non-Volatile memory controller',
  '\t\t02  NVM Express',
  'C 06  Bridge',
  '\t04  PCI bridge',
].join('\n');

test('parsePciIds and pciNames: lookups fall back the way upstream does', () => {
  const ids = parsePciIds(IDS);
  assert.equal(ids.vendors.size, 2);
  const names = (classId: string, sv = '0x1028', sd = '0x0869') => pciNames(ids, { vendorId: '0x8086', deviceId: '0xa338', subsystemVendorId: sv, subsystemDeviceId: sd, classId });
  assert.deepEqual(names('0x060400'), {
    vendor_name: 'Intel Corporation',
    device_name: 'Cannon Lake PCH PCI Express Root Port #1',
    subsystem_vendor_name: '1028',
    subsystem_device_name: 'Root Port of a Dell',
    class_name: 'PCI bridge',
  });
  assert.equal(names('0x010802').class_name, 'NVM Express');
  assert.equal(names('0x010000').class_name, 'Mass storage controller');
  assert.equal(names('0x990000').class_name, 'Unknown class (990000)');
  assert.equal(names('0x060400', '0x1028', '0x0001').subsystem_device_name, '0001');
  assert.deepEqual(parsePciIds('').vendors.size, 0);
});

test('pci.ids fixture read through readAndParse', async () => {
  const ids = await readAndParse(fixturePath('usr', 'share', 'misc', 'pci.ids'), parsePciIds);
  assert.ok(ids.vendors.has('144d'));
  assert.equal(ids.progIfs.get('010802'), 'NVM Express');
  assert.ok((await readFile(fixturePath('usr', 'share', 'misc', 'pci.ids'), 'utf8')).length > 0);
});
