/**
 * systemd and logind collectors against a private dbus-daemon with a stand-in for systemd and
 * logind (test/helpers/dbus-standin.ts). Skips, with the reason, where dbus-daemon is missing.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import { logind } from '../../src/collectors/logind.js';
import { systemd } from '../../src/collectors/systemd.js';
import { dbusDaemonMissing, startPrivateBus, startStandin, type PrivateBus, type StandinHost } from '../helpers/dbus-standin.js';
import { parseExposition, startExporterProcess } from '../helpers/exporter.js';
import { buildCollector, collectSeries, familySeries, collectWith } from '../helpers/series.js';

const skip = dbusDaemonMissing();
if (skip !== undefined) console.log(`# skipping D-Bus system tests: ${skip}`);

const U64_MAX = '18446744073709551615';

const HOST: StandinHost = {
  manager: { Version: ['s', '252.33-1~deb12u1'], Virtualization: ['s', 'kvm'], SystemState: ['s', 'degraded'] },
  units: [
    {
      name: 'ssh.service',
      load: 'loaded',
      active: 'active',
      ifaces: {
        Unit: { ActiveEnterTimestamp: ['t', 1_700_000_000_250_000] },
        Service: { Type: ['s', 'notify'], NRestarts: ['u', 3], TasksCurrent: ['t', 2], TasksMax: ['t', 4915] },
      },
    },
    {
      name: 'broken.service',
      load: 'loaded',
      active: 'failed',
      ifaces: { Service: { Type: ['s', 'oneshot'], NRestarts: ['u', 0], TasksCurrent: ['t', U64_MAX], TasksMax: ['t', U64_MAX] } },
    },
    // Loaded but its Service interface unreadable: state samples with type "", nothing else.
    { name: 'ghost.service', load: 'loaded', active: 'inactive' },
    { name: 'missing.service', load: 'not-found', active: 'inactive' },
    {
      name: 'cron.service',
      load: 'loaded',
      active: 'reloading',
      ifaces: { Service: { Type: ['s', 'simple'], NRestarts: ['u', 1], TasksCurrent: ['t', 1], TasksMax: ['t', 100] } },
    },
    {
      name: 'docker.socket',
      load: 'loaded',
      active: 'active',
      ifaces: { Unit: { ActiveEnterTimestamp: ['t', 1_700_000_100_000_000] }, Socket: { NAccepted: ['u', 42], NConnections: ['u', 1], NRefused: ['u', 5] } },
    },
    { name: 'apt-daily.timer', load: 'loaded', active: 'inactive', ifaces: { Timer: { LastTriggerUSec: ['t', 1_700_000_500_500_000] } } },
    { name: 'home.mount', load: 'loaded', active: 'active', ifaces: { Mount: { Type: ['s', 'ext4'] } } },
  ],
  seats: ['seat0'],
  sessions: [
    { id: '1', seat: 'seat0', props: { Remote: false, Type: 'x11', Class: 'user' } },
    { id: '2', seat: '', props: { Remote: true, Type: 'tty', Class: 'user' } },
    { id: '3', seat: '', props: { Remote: true, Type: 'tty', Class: 'user' } },
    { id: '4', seat: 'seat0', props: { Remote: false, Type: 'hologram', Class: 'manager' } },
    // Unreadable: skipped.
    { id: '5', seat: '' },
  ],
};

function restoreEnv(saved: string | undefined): void {
  if (saved === undefined) delete process.env.DBUS_SYSTEM_BUS_ADDRESS;
  else process.env.DBUS_SYSTEM_BUS_ADDRESS = saved;
}

let bus: PrivateBus | undefined;
let standin: { stop(): void } | undefined;

before(async () => {
  if (skip !== undefined) return;
  bus = await startPrivateBus();
  standin = await startStandin(bus.address, HOST);
  process.env.DBUS_SYSTEM_BUS_ADDRESS = bus.address;
});

after(async () => {
  standin?.stop();
  await bus?.stop();
});

const states = (name: string, type: string, current: string) =>
  ['active', 'activating', 'deactivating', 'inactive', 'failed'].map(
    (s) => [`node_systemd_unit_state{name=${JSON.stringify(name)},state=${JSON.stringify(s)},type=${JSON.stringify(type)}}`, s === current ? 1 : 0] as const,
  );

test('systemd: every series from the stand-in, all flags on', { skip }, async () => {
  const got = await collectSeries(systemd, {
    options: {
      'collector.systemd.unit-include': '.+',
      'collector.systemd.unit-exclude': '.+\\.(automount|device|mount|scope|slice)',
      'collector.systemd.enable-task-metrics': true,
      'collector.systemd.enable-restarts-metrics': true,
      'collector.systemd.enable-start-time-metrics': true,
    },
  });
  const want = new Map<string, number>([
    ['node_systemd_version{version="252.33-1~deb12u1"}', 252.33],
    ['node_systemd_virtualization_info{virtualization_type="kvm"}', 1],
    ['node_systemd_system_running{}', 0],
    ['node_systemd_units{state="active"}', 3],
    ['node_systemd_units{state="activating"}', 0],
    ['node_systemd_units{state="deactivating"}', 0],
    ['node_systemd_units{state="inactive"}', 3],
    ['node_systemd_units{state="failed"}', 1],
    ['node_systemd_units{state="reloading"}', 1],
    ...states('ssh.service', 'notify', 'active'),
    ...states('broken.service', 'oneshot', 'failed'),
    ...states('ghost.service', '', 'inactive'),
    ...states('cron.service', 'simple', 'reloading'),
    ...states('docker.socket', '', 'active'),
    ...states('apt-daily.timer', '', 'inactive'),
    ['node_systemd_service_restart_total{name="ssh.service"}', 3],
    ['node_systemd_service_restart_total{name="broken.service"}', 0],
    ['node_systemd_service_restart_total{name="cron.service"}', 1],
    ['node_systemd_unit_start_time_seconds{name="ssh.service"}', 1_700_000_000.25],
    ['node_systemd_unit_start_time_seconds{name="broken.service"}', 0],
    ['node_systemd_unit_start_time_seconds{name="ghost.service"}', 0],
    ['node_systemd_unit_start_time_seconds{name="cron.service"}', 0],
    ['node_systemd_unit_start_time_seconds{name="docker.socket"}', 1_700_000_100],
    ['node_systemd_unit_start_time_seconds{name="apt-daily.timer"}', 0],
    ['node_systemd_unit_tasks_current{name="ssh.service"}', 2],
    ['node_systemd_unit_tasks_current{name="cron.service"}', 1],
    ['node_systemd_unit_tasks_max{name="ssh.service"}', 4915],
    ['node_systemd_unit_tasks_max{name="cron.service"}', 100],
    ['node_systemd_timer_last_trigger_seconds{name="apt-daily.timer"}', 1_700_000_500.5],
    ['node_systemd_socket_accepted_connections_total{name="docker.socket"}', 42],
    ['node_systemd_socket_current_connections{name="docker.socket"}', 1],
    ['node_systemd_socket_refused_connections_total{name="docker.socket"}', 5],
  ]);
  assert.deepEqual(new Map([...got].sort()), new Map([...want].sort()));
});

test('systemd: defaults leave the optional families out; include narrows per-unit series only', { skip }, async () => {
  const got = await collectSeries(systemd, {
    options: { 'collector.systemd.unit-include': 'ssh\\.service|home\\.mount', 'collector.systemd.unit-exclude': '' },
  });
  const names = new Set([...got.keys()].map((k) => k.slice(0, k.indexOf('{'))));
  assert.deepEqual([...names].sort(), ['node_systemd_system_running', 'node_systemd_unit_state', 'node_systemd_units', 'node_systemd_version', 'node_systemd_virtualization_info']);
  assert.deepEqual(
    new Map([...familySeries(got, 'node_systemd_unit_state')].sort()),
    new Map([...states('home.mount', 'ext4', 'active'), ...states('ssh.service', 'notify', 'active')].sort()),
  );
  assert.equal(got.get('node_systemd_units{state="active"}'), 3);
});

test('logind: sessions counted over every seat × remote × type × class', { skip }, async () => {
  const got = await collectSeries(logind);
  // 2 remote × 7 types × 5 classes × 2 seats (seat0 and the empty seat).
  assert.equal(got.size, 140);
  const nonZero = new Map([...got].filter(([, v]) => v !== 0));
  assert.deepEqual(
    nonZero,
    new Map([
      ['node_logind_sessions{class="user",remote="false",seat="seat0",type="x11"}', 1],
      ['node_logind_sessions{class="other",remote="false",seat="seat0",type="other"}', 1],
      ['node_logind_sessions{class="user",remote="true",seat="",type="tty"}', 2],
    ]),
  );
});

test('the exporter over the bus; with the socket missing the D-Bus collectors fail alone, logged', { skip }, async () => {
  const run = async (address: string) => {
    const exp = await startExporterProcess(
      ['--collector.disable-defaults', '--collector.systemd', '--collector.logind', '--collector.loadavg', `--path.procfs=${path.join('fixtures', 'proc')}`],
      ['env', `DBUS_SYSTEM_BUS_ADDRESS=${address}`],
    );
    try {
      const m = parseExposition(await (await fetch(`${exp.base}/metrics`)).text());
      return { m, logs: exp.logs() };
    } finally {
      await exp.stop();
    }
  };
  const ok = await run(bus?.address ?? '');
  assert.equal(ok.m.get('node_scrape_collector_success{collector="systemd"}'), 1);
  assert.equal(ok.m.get('node_scrape_collector_success{collector="logind"}'), 1);
  assert.equal(ok.m.get('node_systemd_units{state="failed"}'), 1);
  assert.equal(ok.m.get('node_systemd_socket_refused_connections_total{name="docker.socket"}'), 5);

  const gone = path.join(bus?.dir ?? '', 'no-such.sock');
  const bad = await run(`unix:path=${gone}`);
  assert.equal(bad.m.get('node_scrape_collector_success{collector="systemd"}'), 0);
  assert.equal(bad.m.get('node_scrape_collector_success{collector="logind"}'), 0);
  assert.equal(bad.m.get('node_scrape_collector_success{collector="loadavg"}'), 1);
  assert.ok(bad.m.has('node_load1'));
  assert.ok(![...bad.m.keys()].some((k) => k.startsWith('node_systemd_') || k.startsWith('node_logind_')));
  assert.match(bad.logs, new RegExp(`collector=systemd.*couldn't get dbus connection.*${gone.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*ENOENT`));
  assert.match(bad.logs, /collector=logind.*unable to connect to dbus.*ENOENT/);
});

test('a bus that never answers: the collectors give up at the scrape deadline', { skip }, async () => {
  const wedged = await startPrivateBus();
  const service = await startStandin(wedged.address, { ...HOST, hang: true });
  const saved = process.env.DBUS_SYSTEM_BUS_ADDRESS;
  process.env.DBUS_SYSTEM_BUS_ADDRESS = wedged.address;
  try {
    for (const def of [systemd, logind]) {
      const collector = buildCollector(def, { options: { 'collector.systemd.unit-include': '.+', 'collector.systemd.unit-exclude': '' } });
      const started = performance.now();
      await assert.rejects(collectWith(collector, { signal: AbortSignal.timeout(300), deadline: performance.now() + 300 }), /scrape deadline reached/);
      assert.ok(performance.now() - started < 2000, def.name);
    }
  } finally {
    restoreEnv(saved);
    service.stop();
    await wedged.stop();
  }
});

test('hundreds of units: property reads are pipelined within the in-flight limit', { skip }, async () => {
  const big = await startPrivateBus();
  const units = Array.from({ length: 400 }, (_, i) => ({
    name: `worker-${i}.service`,
    load: 'loaded',
    active: i % 2 === 0 ? 'active' : 'inactive',
    ifaces: { Service: { Type: ['s', 'simple'] as [string, unknown], NRestarts: ['u', i] as [string, unknown] } },
  }));
  const service = await startStandin(big.address, { ...HOST, units });
  const saved = process.env.DBUS_SYSTEM_BUS_ADDRESS;
  process.env.DBUS_SYSTEM_BUS_ADDRESS = big.address;
  try {
    const got = await collectSeries(systemd, {
      options: { 'collector.systemd.unit-include': '.+', 'collector.systemd.unit-exclude': '', 'collector.systemd.enable-restarts-metrics': true },
    });
    assert.equal(familySeries(got, 'node_systemd_unit_state').size, 400 * 5);
    assert.equal(got.get('node_systemd_unit_state{name="worker-399.service",state="inactive",type="simple"}'), 1);
    assert.equal(got.get('node_systemd_service_restart_total{name="worker-399.service"}'), 399);
    assert.equal(got.get('node_systemd_units{state="active"}'), 200);
  } finally {
    restoreEnv(saved);
    service.stop();
    await big.stop();
  }
});
