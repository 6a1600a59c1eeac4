/**
 * Live differential test against Debian's node_exporter 1.5.0 (`prometheus-node-exporter`, or
 * NODE_EXPORTER_BIN): both exporters run on this host with the same collectors, and every
 * metric name 1.5.0 exposes from them must be exposed by us too, with the same label names.
 * Values are not compared (two scrapes never agree on them). Where we follow current upstream
 * and 1.5.0 differs, the difference is listed below with its reason.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { cliPath, startExporterProcess, type ExporterProcess } from '../helpers/exporter.js';
import { freePort } from '../helpers/node-exporter.js';

const NODE_EXPORTER = process.env.NODE_EXPORTER_BIN ?? 'prometheus-node-exporter';

/** The collectors of issue 4, plus those built before it (filesystem, loadavg). */
const COMPARED = [
  'arp',
  'buddyinfo',
  'cgroups',
  'conntrack',
  'cpu',
  'cpu_vulnerabilities',
  'cpufreq',
  'diskstats',
  'dmi',
  'entropy',
  'filefd',
  'filesystem',
  'interrupts',
  'kernel_hung',
  'ksmd',
  'lnstat',
  'loadavg',
  'meminfo',
  'meminfo_numa',
  'netclass',
  'netdev',
  'netstat',
  'os',
  'pressure',
  'processes',
  'schedstat',
  'selinux',
  'slabinfo',
  'sockstat',
  'softirqs',
  'softnet',
  'stat',
  'sysctl',
  'textfile',
  'time',
  'timex',
  'udp_queues',
  'uname',
  'vmstat',
  'xfrm',
  'zoneinfo',
];

// ---- Deliberate differences: current upstream (what we match) vs 1.5.0 as Debian ships it ----

/** Metric names 1.5.0 exposes that current upstream does not: not expected from us. */
const DROPPED_METRICS: ReadonlyArray<{ name: RegExp; reason: string }> = [
  {
    name: /^node_memory_(Balloon|FileHugePages|FilePmdMapped|Hugetlb|KReclaimable|SecPageTables|Unaccepted|ShadowCallStack)_bytes$/,
    reason: 'meminfo: 1.5.0 exported every /proc/meminfo key; since 1.9.0 (#3049, procfs Meminfo) upstream exports a fixed set without these keys',
  },
];

/** Labels current upstream added to metrics 1.5.0 already had: we carry them, 1.5.0 does not. */
const ADDED_LABELS: ReadonlyArray<{ name: RegExp; label: string; reason: string }> = [
  { name: /^node_filesystem_/, label: 'device_error', reason: 'filesystem: statfs errors surface as a label since 1.8.0 (#2923)' },
  { name: /^node_disk_info$/, label: 'rotational', reason: 'diskstats: block device rotational since 1.9.0 (#3022)' },
  { name: /^node_network_info$/, label: 'adminstate', reason: 'netclass: administrative state since 1.6.0 (#2515)' },
];

/**
 * Flag defaults that differ between 1.5.0-as-Debian-ships-it and current upstream. The value is
 * current upstream's; it is passed to 1.5.0 (never to us: our own defaults must stand on their
 * own) so both run with one configuration.
 */
const FLAG_DEFAULTS: ReadonlyArray<{ flag: string; upstream: string; reason: string }> = [
  {
    flag: 'collector.filesystem.mount-points-exclude',
    upstream: '^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)',
    reason: "Debian's default-settings patch also excludes all of /run, /mnt and /media; upstream (1.5.0 and now) only /run/credentials/",
  },
  {
    flag: 'collector.filesystem.fs-types-exclude',
    upstream:
      '^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs)$',
    reason: 'upstream added erofs in 1.10.0 (#3313)',
  },
  {
    flag: 'collector.diskstats.device-exclude',
    upstream: '^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$',
    reason: 'upstream ignores zram devices since 1.8.0 (#2898)',
  },
  {
    flag: 'collector.netstat.fields',
    upstream:
      '^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts|TCPOFOQueue|TCPRcvQDrop)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$',
    reason: 'upstream added TcpExt_TCPOFOQueue in 1.8.0 (#2867) and TcpExt_TCPRcvQDrop in 1.9.0 (#3021)',
  },
  {
    flag: 'collector.textfile.directory',
    upstream: '',
    reason: "Debian's patch defaults it to /var/lib/prometheus/node-exporter; this test passes a directory of its own to both",
  },
  {
    flag: 'collector.systemd.unit-exclude',
    upstream: '.+\\.(automount|device|mount|scope|slice)',
    reason: "Debian's patch adds target units (systemd is not an issue-4 collector; listed for completeness)",
  },
  {
    flag: 'path.udev.data',
    upstream: '/run/udev/data',
    reason: 'ours defaults under --path.rootfs (README: udev data follows --path.rootfs); the same path when rootfs is /',
  },
];

/** Modes of ours not built yet: ours runs in the mode 1.5.0 has, which exposes the same names. */
const OUR_MODES: ReadonlyArray<{ flag: string; reason: string }> = [];

/** Option flags that widen what a collector exposes; passed to both when both know the flag. */
const OPTION_FLAGS = (textfileDir: string): string[] => [
  '--collector.cpu.info',
  '--collector.stat.softirq',
  '--collector.netdev.address-info',
  '--collector.sysctl.include=fs.file-nr',
  '--collector.sysctl.include=fs.file-nr:total,current,max',
  '--collector.sysctl.include=kernel.threads-max',
  '--collector.sysctl.include-info=kernel.seccomp.actions_avail',
  `--collector.textfile.directory=${textfileDir}`,
];

/** Exporter self-metrics: Go's and Node's runtimes differ by nature. */
const SELF_METRIC = /^(go_|process_|promhttp_|nodejs_|node_exporter_build_info$)/;

// ---- Help parsing: which collectors and flags each exporter has, and their defaults ----

function helpText(cmd: string, args: string[]): string | undefined {
  const r = spawnSync(cmd, [...args, '--help'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error !== undefined) return undefined;
  return `${r.stdout}${r.stderr}`;
}

/** Every `--flag` a --help lists (kingpin and commander both start the line with it). */
function helpFlags(help: string): Set<string> {
  return new Set([...help.matchAll(/^\s+(?:-\w, )?--([a-z][\w.-]*)/gm)].map((m) => m[1] ?? ''));
}

/** `--collector.<name>` with no dot after the name: the enable flags. */
function collectorsIn(flags: Set<string>): Set<string> {
  return new Set([...flags].filter((f) => /^collector\.[a-z0-9_]+$/.test(f)).map((f) => f.slice('collector.'.length)));
}

/** kingpin: `--flag="value"` (Go-quoted) or `--flag=value`; placeholders are upper case. */
function kingpinDefaults(help: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of help.matchAll(/^\s+--([a-z][\w.-]*)=("(?:[^"\\]|\\.)*"|\S+)/gm)) {
    const raw = m[2] ?? '';
    if (/^[A-Z0-9._-]+$/.test(raw)) continue;
    out.set(m[1] ?? '', raw.startsWith('"') ? (JSON.parse(raw) as string) : raw);
  }
  return out;
}

/** commander: `(default: "value")` (JSON) or `(default: value)` at the end of the line. */
function commanderDefaults(help: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of help.matchAll(/^\s+--([a-z][\w.-]*)\b.*\(default: (.*)\)$/gm)) {
    const raw = m[2] ?? '';
    out.set(m[1] ?? '', raw.startsWith('"') ? (JSON.parse(raw) as string) : raw);
  }
  return out;
}

// ---- Running node_exporter and reading expositions ----

async function startNodeExporter(args: string[]): Promise<{ child: ChildProcess; base: string; logs: () => string }> {
  const port = await freePort();
  const child = spawn(NODE_EXPORTER, [...args, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const base = `http://127.0.0.1:${port}`;
  for (const t0 = Date.now(); Date.now() - t0 < 10_000; await new Promise((r) => setTimeout(r, 50))) {
    if (child.exitCode !== null) throw new Error(`${NODE_EXPORTER} exited with ${child.exitCode}:\n${out}`);
    try {
      if ((await fetch(`${base}/`)).ok) return { child, base, logs: () => out };
    } catch {
      // not listening yet
    }
  }
  child.kill('SIGKILL');
  throw new Error(`${NODE_EXPORTER} did not start in 10 s:\n${out}`);
}

interface Exposed {
  /** metric family name → label names seen on any of its series */
  labels: Map<string, Set<string>>;
  types: Map<string, string>;
}

/** Family names and label names of an exposition; _bucket/_sum/_count fold into their family. */
function exposed(text: string): Exposed {
  const labels = new Map<string, Set<string>>();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type !== null) {
      types.set(type[1] ?? '', type[2] ?? '');
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? /.exec(line);
    if (m === null) continue;
    let name = m[1] ?? '';
    const base = name.replace(/_(bucket|sum|count)$/, '');
    if (base !== name && (types.get(base) === 'histogram' || types.get(base) === 'summary')) name = base;
    if (SELF_METRIC.test(name)) continue;
    const set = labels.get(name) ?? new Set<string>();
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_]\w*)="(?:[^"\\]|\\.)*"/g)) {
      if (l[1] !== 'le' && l[1] !== 'quantile') set.add(l[1] ?? '');
    }
    labels.set(name, set);
  }
  return { labels, types };
}

async function scrape(base: string, collector: string): Promise<Exposed> {
  const res = await fetch(`${base}/metrics?collect[]=${encodeURIComponent(collector)}`);
  assert.equal(res.status, 200, `${base} collect[]=${collector}: HTTP ${res.status}`);
  return exposed(await res.text());
}

/** What 1.5.0 exposes that we do not: missing names, and label sets that differ. */
function differences(theirs: Exposed, ours: Exposed): { missing: string[]; labels: string[]; dropped: string[] } {
  const missing: string[] = [];
  const labels: string[] = [];
  const dropped: string[] = [];
  for (const [name, theirLabels] of theirs.labels) {
    if (DROPPED_METRICS.some((d) => d.name.test(name))) {
      if (!ours.labels.has(name)) dropped.push(name);
      continue;
    }
    const ourLabels = ours.labels.get(name);
    if (ourLabels === undefined) {
      missing.push(`${name}{${[...theirLabels].sort().join(',')}}`);
      continue;
    }
    const added = new Set(ADDED_LABELS.filter((a) => a.name.test(name)).map((a) => a.label));
    const lacking = [...theirLabels].filter((l) => !ourLabels.has(l));
    const extra = [...ourLabels].filter((l) => !theirLabels.has(l) && !added.has(l));
    if (lacking.length > 0 || extra.length > 0) {
      labels.push(`${name}: 1.5.0 {${[...theirLabels].sort().join(',')}}, ours {${[...ourLabels].sort().join(',')}}`);
    }
  }
  return { missing, labels, dropped };
}

// ---- The test ----

test('live differential against node_exporter 1.5.0: names and label names', { timeout: 120_000 }, async (t) => {
  if (process.platform !== 'linux') return t.skip('Linux only');
  const theirHelp = helpText(NODE_EXPORTER, []);
  if (theirHelp === undefined) {
    return t.skip(`${NODE_EXPORTER} is not installed (apt-get install prometheus-node-exporter, or set NODE_EXPORTER_BIN)`);
  }
  const ourHelp = helpText(process.execPath, [cliPath]);
  assert.ok(ourHelp !== undefined, 'our --help did not run');
  const theirFlags = helpFlags(theirHelp);
  const ourFlags = helpFlags(ourHelp);
  const theirCollectors = collectorsIn(theirFlags);
  const ourCollectors = collectorsIn(ourFlags);
  const both = COMPARED.filter((c) => theirCollectors.has(c) && ourCollectors.has(c));
  const notYetOurs = COMPARED.filter((c) => theirCollectors.has(c) && !ourCollectors.has(c));
  const notIn150 = COMPARED.filter((c) => !theirCollectors.has(c));
  t.diagnostic(`compared (${both.length}): ${both.join(' ')}`);
  t.diagnostic(`in 1.5.0, not implemented by us yet (${notYetOurs.length}): ${notYetOurs.join(' ') || '-'}`);
  t.diagnostic(`not in 1.5.0, nothing to compare (${notIn150.length}): ${notIn150.join(' ') || '-'}`);
  assert.ok(both.length > 0, 'no collector in common');

  await t.test('every flag default that differs from 1.5.0 is a listed difference', () => {
    const theirs = kingpinDefaults(theirHelp);
    const ours = commanderDefaults(ourHelp);
    const unexplained: string[] = [];
    for (const [flag, ourDefault] of ours) {
      const theirDefault = theirs.get(flag);
      if (theirDefault === undefined || theirDefault === ourDefault) continue;
      const listed = FLAG_DEFAULTS.find((d) => d.flag === flag);
      if (listed === undefined) unexplained.push(`--${flag}: 1.5.0 ${JSON.stringify(theirDefault)}, ours ${JSON.stringify(ourDefault)}`);
      else t.diagnostic(`--${flag} differs (listed): ${listed.reason}`);
    }
    assert.deepEqual(unexplained, [], `flag defaults differ from 1.5.0 without a listed reason:\n${unexplained.join('\n')}`);
  });

  const textfileDir = mkdtempSync(path.join(tmpdir(), 'nts-differential-'));
  writeFileSync(
    path.join(textfileDir, 'differential.prom'),
    '# HELP nts_differential_probe A metric the differential test puts in the textfile directory.\n' +
      '# TYPE nts_differential_probe gauge\nnts_differential_probe{kind="probe"} 1\n',
  );
  const enable = ['--collector.disable-defaults', ...both.map((c) => `--collector.${c}`)];
  const options = OPTION_FLAGS(textfileDir).filter((f) => {
    const name = f.replace(/^--/, '').replace(/=.*/, '');
    return theirFlags.has(name) && ourFlags.has(name);
  });
  // Only for the collectors compared, only where 1.5.0's default is not already upstream's.
  const theirDefaults = kingpinDefaults(theirHelp);
  const aligned = FLAG_DEFAULTS.filter((d) => theirFlags.has(d.flag) && both.includes(d.flag.split('.')[1] ?? ''))
    .filter((d) => !options.some((o) => o.startsWith(`--${d.flag}=`)) && theirDefaults.get(d.flag) !== d.upstream)
    .map((d) => `--${d.flag}=${d.upstream}`);
  const ourModes = OUR_MODES.filter((m) => ourFlags.has(m.flag.replace(/^no-/, '')) && both.includes(m.flag.split('.')[1] ?? ''));
  for (const m of ourModes) t.diagnostic(`ours only: --${m.flag} (${m.reason})`);
  t.diagnostic(`options for both: ${options.join(' ')}`);
  t.diagnostic(`passed to 1.5.0 only (current upstream defaults): ${aligned.join(' ')}`);

  let ours: ExporterProcess | undefined;
  let theirs: Awaited<ReturnType<typeof startNodeExporter>> | undefined;
  try {
    [ours, theirs] = await Promise.all([
      startExporterProcess([...enable, ...options, ...ourModes.map((m) => `--${m.flag}`)]),
      startNodeExporter([...enable, ...options, ...aligned]),
    ]);
    const failures: string[] = [];
    for (const collector of both) {
      await t.test(collector, async () => {
        const [a, b] = await Promise.all([scrape(theirs?.base ?? '', collector), scrape(ours?.base ?? '', collector)]);
        const d = differences(a, b);
        const typeMismatch = [...a.types].filter(([n, ty]) => b.types.has(n) && b.types.get(n) !== ty && a.labels.has(n));
        if (d.dropped.length > 0) t.diagnostic(`${collector}: 1.5.0 only, dropped upstream since (listed): ${d.dropped.join(' ')}`);
        if (typeMismatch.length > 0) t.diagnostic(`${collector}: TYPE differs: ${typeMismatch.map(([n, ty]) => `${n} 1.5.0 ${ty}, ours ${b.types.get(n) ?? ''}`).join('; ')}`);
        const extra = [...b.labels.keys()].filter((n) => !a.labels.has(n));
        if (extra.length > 0) t.diagnostic(`${collector}: ours only (newer upstream or host-dependent): ${extra.join(' ')}`);
        const problems = [...d.missing.map((m) => `missing ${m}`), ...d.labels.map((l) => `label names differ: ${l}`)];
        if (problems.length > 0) failures.push(`${collector}: ${problems.length}`);
        assert.deepEqual(problems, [], `${collector}: 1.5.0 exposes what we do not:\n  ${problems.join('\n  ')}`);
      });
    }
    if (failures.length > 0) t.diagnostic(`collectors with differences: ${failures.join(', ')}`);
  } finally {
    theirs?.child.kill('SIGTERM');
    await ours?.stop();
    rmSync(textfileDir, { recursive: true, force: true });
  }
});
