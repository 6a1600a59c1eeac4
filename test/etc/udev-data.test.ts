import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUdevData } from '../../src/etc/udev-data.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const cases: { name: string; text: string; props: [string, string][]; links?: string[] }[] = [
  { name: 'empty', text: '', props: [] },
  { name: 'truncated line', text: 'E:ID_MODEL=X\nE', props: [['ID_MODEL', 'X']] },
  { name: 'E: line without "=" is skipped', text: 'E:ID_ATA\nE:ID_BUS=ata\n', props: [['ID_BUS', 'ata']] },
  {
    name: 'empty value is kept; "=" in the value is part of it',
    text: 'E:DM_LV_LAYER=\nE:ID_FS_LABEL=a=b\n',
    props: [
      ['DM_LV_LAYER', ''],
      ['ID_FS_LABEL', 'a=b'],
    ],
  },
  { name: 'unknown kinds and stray text are ignored', text: 'X:future\nW:12\nV:1\nnot a udev line\nE:K=v\n', props: [['K', 'v']] },
  { name: 'CRLF line ends', text: 'S:disk/by-id/x\r\nE:ID_SERIAL=abc\r\n', props: [['ID_SERIAL', 'abc']], links: ['disk/by-id/x'] },
  { name: 'a repeated key keeps the last value', text: 'E:ID_MODEL=A\nE:ID_MODEL=B\n', props: [['ID_MODEL', 'B']] },
];

for (const c of cases) {
  test(`parseUdevData: ${c.name}`, () => {
    const d = parseUdevData(c.text);
    assert.deepEqual([...d.properties], c.props);
    if (c.links !== undefined) assert.deepEqual(d.links, c.links);
  });
}

test('parseUdevData: links, tags and init time', () => {
  const d = parseUdevData('S:cdrom\nS:disk/by-path/p\nI:1836011\nG:systemd\nQ:systemd\nI:bogus\n');
  assert.deepEqual(d.links, ['cdrom', 'disk/by-path/p']);
  assert.deepEqual(d.tags, ['systemd']);
  assert.equal(d.initializedUsec, 1836011);
});

test('fixture udev records', async () => {
  const sda = await readAndParse(fixturePath('run', 'udev', 'data', 'b8:0'), parseUdevData);
  assert.equal(sda.properties.get('ID_ATA_ROTATION_RATE_RPM'), '5425');
  assert.equal(sda.properties.get('SCSI_IDENT_SERIAL'), 'ZFN1A2B3-DISKLABEL');
  assert.equal(sda.links.length, 4);
  const lv = await readAndParse(fixturePath('run', 'udev', 'data', 'b252:1'), parseUdevData);
  assert.equal(lv.properties.get('DM_LV_LAYER'), '');
  assert.equal(lv.properties.get('ID_FS_TYPE'), 'ext4');
  const vda = await readAndParse(fixturePath('run', 'udev', 'data', 'b254:0'), parseUdevData);
  assert.equal(vda.properties.get('ID_SERIAL'), 'vm-7f3a-disk0');
  assert.equal(vda.properties.get('ID_ATA'), '');
});
