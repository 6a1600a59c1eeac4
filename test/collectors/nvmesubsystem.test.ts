import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NoDataError } from '../../src/collector.js';
import { nvmesubsystem } from '../../src/collectors/nvmesubsystem.js';
import { collectSeries, familySeries } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';
import { tmpDirTest } from '../helpers/tmp.js';

const withTmp = tmpDirTest('nts-nvmesubsys-');

/** A scratch sysfs root holding a copy of our nvme-subsystem fixture. */
function copyFixture(dir: string): string {
  const base = path.join(dir, 'class', 'nvme-subsystem');
  cpSync(fixturePath('sys', 'class', 'nvme-subsystem'), base, { recursive: true });
  return base;
}

const STATES = ['connecting', 'dead', 'deleting', 'live', 'new', 'resetting', 'unknown'];

test('nvmesubsystem: info, namespaces, path counts and one series per path and state; off by default', async () => {
  assert.equal(nvmesubsystem.defaultEnabled, false);
  assert.equal(nvmesubsystem.options, undefined);
  const m = await collectSeries(nvmesubsystem, { roots: { sysfs: fixturePath('sys') } });
  const nqn1 = 'nqn.2024-03.com.example.storage:cluster-prod-east-1:pool-nvme-fast-tier:volume-group-databases:subsystem-postgresql-primary-repl';
  assert.equal(nqn1.length, 128);
  assert.deepEqual(Object.fromEntries(familySeries(m, 'node_nvmesubsystem_info')), {
    'node_nvmesubsystem_info{iopolicy="numa",model="Samsung SSD 990 PRO 2TB",nqn="nqn.1994-11.com.samsung:nvme:990PRO:M.2:S7KHNJ0W612345X",serial="S7KHNJ0W612345X",subsystem="nvme-subsys0"}': 1,
    [`node_nvmesubsystem_info{iopolicy="round-robin",model="Linux",nqn="${nqn1}",serial="c9b6e3f0a1d24e8c",subsystem="nvme-subsys1"}`]: 1,
  });
  assert.deepEqual(Object.fromEntries(familySeries(m, 'node_nvmesubsystem_namespace_info')), {
    'node_nvmesubsystem_namespace_info{device="nvme0n1",subsystem="nvme-subsys0"}': 1,
    'node_nvmesubsystem_namespace_info{device="nvme1n1",subsystem="nvme-subsys1"}': 1,
    'node_nvmesubsystem_namespace_info{device="nvme1n2",subsystem="nvme-subsys1"}': 1,
  });
  assert.deepEqual(Object.fromEntries(familySeries(m, 'node_nvmesubsystem_paths')), {
    'node_nvmesubsystem_paths{subsystem="nvme-subsys0"}': 1,
    'node_nvmesubsystem_paths{subsystem="nvme-subsys1"}': 2,
  });
  assert.deepEqual(Object.fromEntries(familySeries(m, 'node_nvmesubsystem_paths_live')), {
    'node_nvmesubsystem_paths_live{subsystem="nvme-subsys0"}': 1,
    'node_nvmesubsystem_paths_live{subsystem="nvme-subsys1"}': 1,
  });
  const state = familySeries(m, 'node_nvmesubsystem_path_state');
  assert.equal(state.size, 3 * STATES.length);
  const current = (subsystem: string, controller: string, transport: string, s: string) =>
    STATES.map((x) => [`node_nvmesubsystem_path_state{controller="${controller}",state="${x}",subsystem="${subsystem}",transport="${transport}"}`, x === s ? 1 : 0]);
  assert.deepEqual(
    Object.fromEntries(state),
    Object.fromEntries([
      ...current('nvme-subsys0', 'nvme0', 'pcie', 'live'),
      ...current('nvme-subsys1', 'nvme1', 'tcp', 'connecting'),
      ...current('nvme-subsys1', 'nvme2', 'tcp', 'live'),
    ]),
  );
  assert.equal(m.size, 2 + 3 + 2 + 2 + 21);
});

test(
  'nvmesubsystem: unlisted and "(no IO)" states',
  withTmp(async (dir) => {
    const base = copyFixture(dir);
    writeFileSync(path.join(base, 'nvme-subsys1', 'nvme1', 'state'), 'deleting (no IO)\n');
    writeFileSync(path.join(base, 'nvme-subsys1', 'nvme2', 'state'), 'frozen\n');
    const m = await collectSeries(nvmesubsystem, { roots: { sysfs: dir } });
    assert.equal(m.get('node_nvmesubsystem_path_state{controller="nvme1",state="deleting",subsystem="nvme-subsys1",transport="tcp"}'), 1);
    assert.equal(m.get('node_nvmesubsystem_path_state{controller="nvme2",state="unknown",subsystem="nvme-subsys1",transport="tcp"}'), 1);
    assert.equal(m.get('node_nvmesubsystem_paths_live{subsystem="nvme-subsys1"}'), 0);
    assert.equal(m.get('node_nvmesubsystem_paths{subsystem="nvme-subsys1"}'), 2);
  }),
);

test(
  'nvmesubsystem: no class directory is no data; an empty one is success with nothing',
  withTmp(async (dir) => {
    await assert.rejects(collectSeries(nvmesubsystem, { roots: { sysfs: dir } }), NoDataError);
    mkdirSync(path.join(dir, 'class', 'nvme-subsystem'), { recursive: true });
    assert.equal((await collectSeries(nvmesubsystem, { roots: { sysfs: dir } })).size, 0);
  }),
);

test(
  "nvmesubsystem: any missing attribute (no iopolicy without multipath, a controller's address) is no data, as upstream",
  withTmp(async (dir) => {
    const base = copyFixture(dir);
    rmSync(path.join(base, 'nvme-subsys0', 'iopolicy'));
    await assert.rejects(
      collectSeries(nvmesubsystem, { roots: { sysfs: dir } }),
      (err: unknown) => err instanceof NoDataError && /nvme-subsys0\/iopolicy does not exist/.test(err.message),
    );
    rmSync(base, { recursive: true });
    copyFixture(dir);
    rmSync(path.join(base, 'nvme-subsys1', 'nvme2', 'address'));
    await assert.rejects(collectSeries(nvmesubsystem, { roots: { sysfs: dir } }), (err: unknown) => err instanceof NoDataError && /nvme2\/address/.test(err.message));
  }),
);

test(
  'nvmesubsystem: an attribute that cannot be read (a directory) fails the collector',
  withTmp(async (dir) => {
    const base = copyFixture(dir);
    rmSync(path.join(base, 'nvme-subsys1', 'model'));
    mkdirSync(path.join(base, 'nvme-subsys1', 'model'));
    await assert.rejects(collectSeries(nvmesubsystem, { roots: { sysfs: dir } }), (err: unknown) => !(err instanceof NoDataError) && /EISDIR|directory/i.test(String(err)));
  }),
);
