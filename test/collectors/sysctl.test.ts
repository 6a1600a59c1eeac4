import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/collector.js';
import { parseSysctlSpec, sysctl } from '../../src/collectors/sysctl.js';
import { sanitizeMetricName } from '../../src/metric-name.js';
import { buildCollector, collectSeries } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';

const collect = (include: string[], includeInfo: string[] = []) =>
  collectSeries(sysctl, { roots: { procfs: fixturePath('proc') }, options: { 'collector.sysctl.include': include, 'collector.sysctl.include-info': includeInfo } });

test('numeric: one value, indexed values, named fields', async () => {
  const m = await collect(['vm.swappiness', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_rmem:min,default,max']);
  assert.deepEqual(
    [...m],
    [
      ['node_sysctl_vm_swappiness{}', 60],
      ['node_sysctl_net_ipv4_ip_local_port_range{index="0"}', 32768],
      ['node_sysctl_net_ipv4_ip_local_port_range{index="1"}', 60999],
      ['node_sysctl_net_ipv4_tcp_rmem_min{}', 4096],
      ['node_sysctl_net_ipv4_tcp_rmem_default{}', 131072],
      ['node_sysctl_net_ipv4_tcp_rmem_max{}', 6291456],
    ],
  );
});

test('info: one series per value with its index', async () => {
  const m = await collect([], ['kernel.osrelease', 'kernel.seccomp.actions_avail']);
  assert.equal(m.get('node_sysctl_info{index="0",name="kernel.osrelease",value="6.8.0-45-generic"}'), 1);
  assert.equal(m.get('node_sysctl_info{index="7",name="kernel.seccomp.actions_avail",value="allow"}'), 1);
  assert.equal(m.size, 9);
});

test('nothing configured: no series', async () => {
  assert.equal((await collectSeries(sysctl, { roots: { procfs: fixturePath('proc') } })).size, 0);
});

test('a missing or non-numeric sysctl, or a field count mismatch, fails the collector', async () => {
  await assert.rejects(collect(['vm.no_such_thing']), /ENOENT|no such file/i);
  await assert.rejects(collect(['kernel.osrelease']), /not a valid integer/);
  await assert.rejects(collect(['net.ipv4.tcp_rmem:min,max']), /3 values but 2 names/);
  await assert.rejects(collect(['vm.swappiness:value']), /1 values but 1 names/);
});

test('flag values: names sanitised, bad specs rejected before listening', () => {
  assert.equal(sanitizeMetricName('fs.file-nr'), 'fs_file_nr');
  assert.equal(sanitizeMetricName('net.ipv4.conf.all.rp_filter'), 'net_ipv4_conf_all_rp_filter');
  assert.equal(sanitizeMetricName('a_.-_b'), 'a_b');
  assert.deepEqual(parseSysctlSpec('fs.file-nr:total,current,max', true), { name: 'fs.file-nr', keys: ['total', 'current', 'max'], numeric: true });
  assert.throws(() => parseSysctlSpec('', true), ConfigError);
  assert.throws(() => parseSysctlSpec('kernel.osrelease:a', false), ConfigError);
  assert.throws(() => parseSysctlSpec('fs.file-nr:to-tal', true), ConfigError);
  assert.throws(() => buildCollector(sysctl, { options: { 'collector.sysctl.include': ['fs.file-nr:a b'] } }), ConfigError);
});
