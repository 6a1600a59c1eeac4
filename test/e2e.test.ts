import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fixturePath } from './helpers/repo.js';
import { runCli, startExporterProcess, type ExporterProcess } from './helpers/exporter.js';

/**
 * Values that depend on the machine the test runs on, not on our fixtures: the clock and
 * statfs numbers of a mount point that exists (the fixtures directory itself for "/").
 */
function normalise(body: string): string {
  return body
    .split('\n')
    .filter((l) => l.startsWith('node_') && !l.startsWith('node_exporter_build_info'))
    .filter((l) => !/^node_(time_seconds|time_zone_offset_seconds|scrape_collector_duration_seconds)[{ ]/.test(l))
    .map((l) => (/^node_filesystem_(size_bytes|free_bytes|avail_bytes|files|files_free)\{.*device_error=""/.test(l) ? l.replace(/ \S+$/, ' <statfs>') : l))
    .join('\n')
    .concat('\n');
}

/** Compares with fixtures/e2e/<name>; UPDATE_EXPECTED=1 rewrites the file instead. */
function assertMatchesExpected(name: string, actual: string): void {
  const file = fixturePath('e2e', name);
  if (process.env.UPDATE_EXPECTED === '1') writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `output differs from ${file} (UPDATE_EXPECTED=1 npm test rewrites it)`);
}

const COLLECTORS = ['--collector.disable-defaults', '--collector.filesystem', '--collector.loadavg', '--collector.meminfo', '--collector.os', '--collector.time'];

let host: ExporterProcess;
let bindmount: ExporterProcess;

before(async () => {
  [host, bindmount] = await Promise.all([
    startExporterProcess([`--path.procfs=${fixturePath('proc')}`, `--path.sysfs=${fixturePath('sys')}`, `--path.rootfs=${fixturePath()}`, ...COLLECTORS]),
    // The container layout: the host's / at /host, as pid 1's mountinfo shows it.
    startExporterProcess([`--path.procfs=${fixturePath('bindmount', 'proc')}`, '--path.rootfs=/host', '--collector.disable-defaults', '--collector.filesystem']),
  ]);
});

after(async () => {
  await Promise.all([host?.stop(), bindmount?.stop()]);
});

test('fixtures: the whole output of filesystem, loadavg, meminfo, os and time', async () => {
  const res = await fetch(`${host.base}/metrics`);
  assert.equal(res.status, 200);
  assertMatchesExpected('host.txt', normalise(await res.text()));
});

test('bind-mounted rootfs: mount points reported without the /host prefix', async () => {
  const body = await (await fetch(`${bindmount.base}/metrics`)).text();
  assertMatchesExpected('bindmount.txt', normalise(body));
  assert.doesNotMatch(body, /mountpoint="\/host/);
});

test('every collector is reported with duration and success', async () => {
  const body = await (await fetch(`${host.base}/metrics`)).text();
  for (const c of ['filesystem', 'loadavg', 'meminfo', 'os', 'time']) {
    assert.match(body, new RegExp(`^node_scrape_collector_success\\{collector="${c}"\\} 1$`, 'm'));
    assert.match(body, new RegExp(`^node_scrape_collector_duration_seconds\\{collector="${c}"\\} [0-9.e-]+$`, 'm'));
  }
});

test('a missing input fails that collector alone', async () => {
  const exp = await startExporterProcess([`--path.procfs=${fixturePath('does-not-exist')}`, `--path.sysfs=${fixturePath('sys')}`, `--path.rootfs=${fixturePath()}`, ...COLLECTORS]);
  try {
    const body = await (await fetch(`${exp.base}/metrics`)).text();
    assert.match(body, /^node_scrape_collector_success\{collector="loadavg"\} 0$/m);
    assert.match(body, /^node_scrape_collector_success\{collector="meminfo"\} 0$/m);
    assert.match(body, /^node_scrape_collector_success\{collector="os"\} 1$/m);
    assert.match(body, /^node_os_info\{/m);
    assert.match(exp.logs(), /level=error msg="collector failed" collector=loadavg .*does-not-exist\/loadavg/);
  } finally {
    await exp.stop();
  }
});

test('bad flags: exit 1 with a clear message, before listening', async () => {
  const cases: [string[], RegExp][] = [
    [['--no-such-flag'], /unknown option '--no-such-flag'/],
    [['--collector.filesystem.mount-points-exclude=('], /mount-points-exclude: invalid regexp/],
    [['--collector.filesystem.mount-points-exclude=^/x', '--collector.filesystem.mount-points-include=^/y'], /mutually exclusive/],
    [['--collector.filesystem.mount-timeout=soon'], /invalid duration/],
    [['--web.max-requests=-3'], /web\.max-requests/],
    [['--log.level=loud'], /log\.level/],
    [['--web.listen-address=nowhere'], /invalid address/],
  ];
  for (const [args, message] of cases) {
    const { code, output } = await runCli(args);
    assert.equal(code, 1, `${args.join(' ')}: ${output}`);
    assert.match(output, message);
    assert.doesNotMatch(output, /Listening on/);
  }
});

test('a port already in use: exit 1 with a clear message', async () => {
  const port = new URL(host.base).port;
  const { code, output } = await runCli([`--web.listen-address=127.0.0.1:${port}`, '--collector.disable-defaults']);
  assert.equal(code, 1);
  assert.match(output, /address already in use/);
});

test('SIGTERM stops it cleanly with exit code 0', async () => {
  const exp = await startExporterProcess(['--collector.disable-defaults', '--collector.loadavg']);
  assert.equal((await fetch(`${exp.base}/metrics`)).status, 200);
  assert.equal(await exp.stop(), 0);
});

/**
 * Lints that node_exporter's own metric names trigger (we must keep the names): camelCase
 * fields copied from the kernel (meminfo, netstat, vmstat), and entropy counted in bits.
 */
const UPSTREAM_NAME_LINTS = [
  /^node_\w+ metric names should be written in 'snake_case' not 'camelCase'$/,
  /^node_entropy_(available|pool_size)_bits use base unit "bytes" instead of "bits"$/,
];

test("promtool check metrics: nothing beyond the lints node_exporter's own names trigger", async (t) => {
  const promtool = spawnSync('promtool', ['--version']);
  if (promtool.error !== undefined) return t.skip('promtool not installed (Debian package prometheus; CI installs it)');
  const exp = await startExporterProcess([]); // the defaults, exporter metrics included, on this host
  try {
    // promtool reads the classic text format only (OpenMetrics counters lose their HELP to it).
    for (const accept of ['text/plain']) {
      const body = await (await fetch(`${exp.base}/metrics`, { headers: { accept } })).text();
      const r = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
      const problems = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() !== '');
      const unexpected = problems.filter((l) => !UPSTREAM_NAME_LINTS.some((re) => re.test(l)));
      assert.deepEqual(unexpected, [], `${accept}: promtool found:\n${unexpected.join('\n')}`);
      assert.ok(problems.length > 0, 'the meminfo names are expected to trigger the camelCase lint');
    }
  } finally {
    await exp.stop();
  }
});
