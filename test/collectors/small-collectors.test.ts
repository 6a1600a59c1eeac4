import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NoDataError } from '../../src/collector.js';
import { cgroups } from '../../src/collectors/cgroups.js';
import { dmi } from '../../src/collectors/dmi.js';
import { selinux } from '../../src/collectors/selinux.js';
import { buildCollector, collectOnce, collectSeries } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';
import { tmpDirTest } from '../helpers/tmp.js';

const withTmp = tmpDirTest('nts-c1-');

test('cgroups: both families per controller, default off', async () => {
  assert.equal(cgroups.defaultEnabled, false);
  const m = await collectSeries(cgroups, { roots: { procfs: fixturePath('proc') } });
  assert.equal(m.get('node_cgroups_cgroups{subsys_name="memory"}'), 143);
  assert.equal(m.get('node_cgroups_enabled{subsys_name="misc"}'), 0);
  assert.equal(m.size, 30);
});

test(
  'cgroups: a missing or malformed /proc/cgroups fails the collector',
  withTmp(async (dir) => {
    await assert.rejects(collectSeries(cgroups, { roots: { procfs: dir } }), /ENOENT|no such file/i);
    writeFileSync(path.join(dir, 'cgroups'), '#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpu\t0\n');
    await assert.rejects(collectSeries(cgroups, { roots: { procfs: dir } }), /cgroups:2: cgroups line has 2 fields/);
  }),
);

test('dmi: one info series, labels for the files present', async () => {
  const m = await collectSeries(dmi, { roots: { sysfs: fixturePath('sys') } });
  assert.equal(m.size, 1);
  const [key] = [...m.keys()];
  assert.ok(key?.includes('product_version="1.0\ufffd €\ufffd"'), key);
  assert.ok(key?.includes('system_vendor="Micro-Star International Co., Ltd."'));
  assert.ok(key?.includes('chassis_asset_tag=""'));
  assert.ok(!key?.includes('chassis_type') && !key?.includes('modalias') && !key?.includes('board_asset_tag="Default string "'));
});

test(
  'dmi: no DMI directory is "no data"; only regular files count',
  withTmp(async (dir) => {
    await assert.rejects(collectOnce(buildCollector(dmi, { roots: { sysfs: dir } })), NoDataError);
    const id = path.join(dir, 'class', 'dmi', 'id');
    mkdirSync(id, { recursive: true });
    writeFileSync(path.join(dir, 'vendor'), 'Elsewhere\n');
    symlinkSync(path.join(dir, 'vendor'), path.join(id, 'sys_vendor'));
    writeFileSync(path.join(id, 'bios_vendor'), 'SeaBIOS\n');
    const m = await collectSeries(dmi, { roots: { sysfs: dir } });
    assert.deepEqual([...m.keys()], ['node_dmi_info{bios_vendor="SeaBIOS"}']);
  }),
);

test(
  'dmi: read once, then served from memory',
  withTmp(async (dir) => {
    cpSync(fixturePath('sys', 'class', 'dmi'), path.join(dir, 'class', 'dmi'), { recursive: true });
    const c = buildCollector(dmi, { roots: { sysfs: dir } });
    const first = await collectOnce(c);
    rmSync(path.join(dir, 'class'), { recursive: true });
    assert.deepEqual(await collectOnce(c), first);
  }),
);

test('selinux: enabled from the fixtures, config and current mode', async () => {
  assert.equal(selinux.defaultEnabled, true);
  const m = await collectSeries(selinux, { roots: { procfs: fixturePath('proc'), sysfs: fixturePath('sys'), rootfs: fixturePath() } });
  assert.deepEqual(
    [...m],
    [
      ['node_selinux_enabled{}', 1],
      ['node_selinux_config_mode{}', 0],
      ['node_selinux_current_mode{}', 1],
    ],
  );
});

test(
  'selinux: no selinuxfs, or no policy loaded ("kernel"), is disabled',
  withTmp(async (dir) => {
    const roots = { procfs: path.join(dir, 'proc'), sysfs: path.join(dir, 'sys'), rootfs: dir };
    assert.deepEqual([...(await collectSeries(selinux, { roots }))], [['node_selinux_enabled{}', 0]]);
    mkdirSync(path.join(dir, 'sys', 'fs', 'selinux'), { recursive: true });
    writeFileSync(path.join(dir, 'sys', 'fs', 'selinux', 'enforce'), '0');
    mkdirSync(path.join(dir, 'proc', 'self', 'attr'), { recursive: true });
    writeFileSync(path.join(dir, 'proc', 'self', 'attr', 'current'), 'kernel\0');
    assert.deepEqual([...(await collectSeries(selinux, { roots }))], [['node_selinux_enabled{}', 0]]);
    // A policy, permissive, no /etc/selinux/config: configured mode -1.
    writeFileSync(path.join(dir, 'proc', 'self', 'attr', 'current'), 'system_u:system_r:kernel_t:s0\0');
    assert.deepEqual(
      [...(await collectSeries(selinux, { roots }))],
      [
        ['node_selinux_enabled{}', 1],
        ['node_selinux_config_mode{}', -1],
        ['node_selinux_current_mode{}', 0],
      ],
    );
  }),
);
