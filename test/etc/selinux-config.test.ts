import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selinuxConfigMode, selinuxConfigValue } from '../../src/etc/selinux-config.js';
import { readProcFile } from '../../src/read/files.js';
import { parseSecurityContext, parseSelinuxEnforce } from '../../src/sysfs/selinux.js';
import { fixturePath } from '../helpers/repo.js';

const modes: { name: string; text: string; want: number }[] = [
  { name: 'empty', text: '', want: -1 },
  { name: 'truncated line', text: 'SELINUX', want: -1 },
  { name: 'enforcing', text: 'SELINUX=enforcing\n', want: 1 },
  { name: 'permissive in quotes, indented, CRLF', text: '  SELINUX="permissive"\r\n', want: 0 },
  { name: 'disabled', text: 'SELINUX=disabled\n', want: -1 },
  { name: 'unknown value', text: 'SELINUX=Enforcing\n', want: -1 },
  {
    name: 'comments skipped, first match wins, other keys ignored',
    text: '# SELINUX=enforcing\n;SELINUX=enforcing\nSELINUXTYPE=targeted\nSELINUX=permissive\nSELINUX=enforcing\n',
    want: 0,
  },
  { name: 'spaces around "=" make another key', text: 'SELINUX = enforcing\n', want: -1 },
];

for (const c of modes) {
  test(`selinuxConfigMode: ${c.name}`, () => assert.equal(selinuxConfigMode(c.text), c.want));
}

test('selinuxConfigValue, parseSelinuxEnforce, parseSecurityContext', () => {
  assert.equal(selinuxConfigValue('SELINUXTYPE=targeted\n', 'SELINUXTYPE'), 'targeted');
  assert.equal(selinuxConfigValue('SELINUXTYPE=targeted\n', 'SELINUX'), undefined);
  assert.equal(parseSelinuxEnforce('1'), 1);
  assert.equal(parseSelinuxEnforce('0\n'), 0);
  assert.equal(parseSelinuxEnforce(''), -1);
  assert.equal(parseSelinuxEnforce('on'), -1);
  assert.equal(parseSecurityContext('kernel\0'), 'kernel');
  assert.equal(parseSecurityContext('unconfined_u:unconfined_r:unconfined_t:s0'), 'unconfined_u:unconfined_r:unconfined_t:s0');
});

test('fixture SELinux files', async () => {
  assert.equal(selinuxConfigMode(await readProcFile(fixturePath('etc', 'selinux', 'config'))), 0);
  assert.equal(parseSelinuxEnforce(await readProcFile(fixturePath('sys', 'fs', 'selinux', 'enforce'))), 1);
  assert.equal(parseSecurityContext(await readProcFile(fixturePath('proc', 'self', 'attr', 'current'))), 'system_u:system_r:unconfined_service_t:s0');
});
