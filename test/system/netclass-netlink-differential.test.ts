/**
 * Live differential tests of netclass's netlink mode (RTM_GETLINK + ethtool LINKMODES_GET):
 * against Debian's node_exporter 1.5.0 (`prometheus-node-exporter`, or NODE_EXPORTER_BIN) run
 * with the same flags, and against our own sysfs mode — on this host's interfaces, and (as root)
 * in a scratch network namespace with more kinds of link: a veth pair with an alias, altname,
 * group, MTU and queue length of its own, a bridge, an ifb and a tap.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { test, type TestContext } from 'node:test';
import { parseExposition, startExporterProcess } from '../helpers/exporter.js';
import { freePort, NODE_EXPORTER, nodeExporterMissing, scrapeBoth, type BothScrapes } from '../helpers/node-exporter.js';

const FAMILIES = /^node_(network_\w+|scrape_collector_success)\{/;
/** Added after 1.5.0: the sysfs-only attributes (1.7) and altnames (1.10). */
const NEWER_THAN_1_5 = /^node_network_(address_assign_type|device_id|name_assign_type|altnames_info)\{/;
/** IFLA_STATS64 counters: they move between two scrapes, so only their series are compared. */
const STATS = /^node_network_(receive|transmit)_\w+_total\{|^node_network_(multicast|collisions)_total\{/;
const NETLINK = ['netclass', 'netclass.netlink'];

/** Series (labels sorted) → value, for the families matching `families`. */
function seriesValues(text: string, families: RegExp): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k0, v] of parseExposition(text)) {
    const k = k0.includes('{') ? k0 : `${k0}{}`;
    if (!families.test(k)) continue;
    const name = k.slice(0, k.indexOf('{'));
    const labels = [...k.slice(k.indexOf('{') + 1, -1).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => `${m[1]}=${m[2]}`).sort();
    out.set(`${name}{${labels.join(',')}}`, v);
  }
  return out;
}

const sorted = (m: ReadonlyMap<string, number>, keep: (k: string) => boolean) => [...m].filter(([k]) => keep(k)).sort(([a], [b]) => (a < b ? -1 : 1));

function assertSameAsReference({ theirs, ours, ourLogs }: BothScrapes): void {
  assert.ok(ours.includes('node_scrape_collector_success{collector="netclass"} 1\n'), `netclass failed:\n${ourLogs}`);
  const [a, b] = [seriesValues(theirs, FAMILIES), seriesValues(ours, FAMILIES)];
  assert.ok(
    [...b.keys()].some((k) => k.startsWith('node_network_address_assign_type{')),
    'the sysfs-only attributes are missing',
  );
  const older = (k: string) => !NEWER_THAN_1_5.test(k);
  assert.deepEqual([...b.keys()].filter(older).sort(), [...a.keys()].sort());
  const stable = (k: string) => older(k) && !STATS.test(k);
  assert.deepEqual(sorted(b, stable), sorted(a, stable));
}

/**
 * Where our two modes differ by upstream's design rather than by our doing: duplex is the ethtool
 * library's name ("Full", "Unknown") rather than sysfs's, speed is SPEED_UNKNOWN read unsigned
 * rather than -1, dormant is the link mode, the info series has no adminstate label, netlink
 * always has carrier (sysfs refuses it on a device that is down) and adds altnames. And flags:
 * netlink's ifi_flags are dev_get_flags(), which adds the operational IFF_RUNNING, IFF_LOWER_UP
 * and IFF_DORMANT bits and keeps IFF_PROMISC/IFF_ALLMULTI only when a user set them, where sysfs
 * shows dev->flags as they are (a bridge port is promiscuous there).
 */
const BY_DESIGN = /^node_network_(info|speed_bytes|dormant|carrier|altnames_info|flags)\{/;
const FLAGS_DIFFERING = 0x40 | 0x10000 | 0x20000 | 0x100 | 0x200;

function assertModesAgree(t: TestContext, sysfsText: string, netlinkText: string): void {
  const [sysfs, netlink] = [seriesValues(sysfsText, /^node_network_\w+\{/), seriesValues(netlinkText, /^node_network_\w+\{/)];
  const differences = [
    ...[...sysfs].filter(([k, v]) => netlink.get(k) !== v).map(([k, v]) => `sysfs   ${k} ${v} (netlink: ${String(netlink.get(k) ?? 'absent')})`),
    ...[...netlink].filter(([k]) => !sysfs.has(k)).map(([k, v]) => `netlink ${k} ${v} (not in sysfs mode)`),
  ].sort();
  for (const d of differences) t.diagnostic(d);
  assert.deepEqual(
    differences.filter((d) => !BY_DESIGN.test(d.slice(8))),
    [],
  );
  // Of the info labels, those both modes read from the same kernel fields must agree.
  const info = (m: Map<string, number>) =>
    [...m.keys()]
      .filter((k) => k.startsWith('node_network_info{'))
      .map((k) => k.replace(/,?(adminstate|duplex)=[^,}]*/g, '').replace('{,', '{'))
      .sort();
  assert.deepEqual(info(netlink), info(sysfs));
  for (const [k, v] of sysfs) {
    if (k.startsWith('node_network_carrier{')) assert.equal(netlink.get(k), v, `${k}: wherever sysfs gives carrier, netlink gives the same`);
    if (k.startsWith('node_network_flags{')) assert.equal((netlink.get(k) ?? NaN) & ~FLAGS_DIFFERING, v & ~FLAGS_DIFFERING, `${k}: the same apart from those bits`);
  }
}

// --- on this host ---------------------------------------------------------------------------

function referenceMissing(): string | undefined {
  return process.platform !== 'linux' ? 'Linux only' : nodeExporterMissing();
}

test('netclass netlink: same series and values as node_exporter 1.5.0 on this host', { timeout: 60_000 }, async (t) => {
  const skip = referenceMissing();
  if (skip !== undefined) return t.skip(skip);
  assertSameAsReference(await scrapeBoth(t, NETLINK));
});

test('netclass netlink with stats: same series as node_exporter 1.5.0 on this host', { timeout: 60_000 }, async (t) => {
  const skip = referenceMissing();
  if (skip !== undefined) return t.skip(skip);
  assertSameAsReference(await scrapeBoth(t, [...NETLINK, 'netclass_rtnl.with-stats']));
});

async function scrapeOurs(t: TestContext, flags: readonly string[], runner: readonly string[] = [], get = httpGet): Promise<string> {
  const p = await startExporterProcess(['--collector.disable-defaults', ...flags.map((f) => `--collector.${f}`)], runner);
  t.after(() => p.stop());
  const text = await get(`${p.base}/metrics`);
  assert.ok(text.includes('node_scrape_collector_success{collector="netclass"} 1\n'), `netclass ${flags.join(' ')} failed:\n${p.logs()}`);
  return text;
}

async function httpGet(url: string): Promise<string> {
  return (await fetch(url)).text();
}

test("netclass: netlink mode agrees with sysfs mode on this host, apart from upstream's known differences", { timeout: 60_000 }, async (t) => {
  if (process.platform !== 'linux') return t.skip('Linux only');
  assertModesAgree(t, await scrapeOurs(t, ['netclass']), await scrapeOurs(t, NETLINK));
});

// --- in a scratch network namespace (root) --------------------------------------------------

const ip = (...args: string[]) => spawnSync('ip', args, { encoding: 'utf8', timeout: 10_000 });

/** A new network namespace with a few kinds of link, removed when the test ends; a string says why not. */
function scratchNamespace(t: TestContext): { ns: string } | string {
  if (process.platform !== 'linux') return 'Linux only';
  if (process.getuid?.() !== 0) return 'needs root (ip netns add)';
  const ns = `nets-netclass-${process.pid}`;
  const add = ip('netns', 'add', ns);
  if (add.status !== 0) return `ip netns add failed: ${add.error?.message ?? add.stderr}`;
  t.after(() => ip('netns', 'del', ns));
  const required = [
    ['link', 'set', 'lo', 'up'],
    ['link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1'],
    ['link', 'set', 'veth0', 'alias', 'uplink one', 'mtu', '9000', 'group', '5', 'txqueuelen', '77'],
    ['link', 'set', 'veth0', 'up'],
    ['link', 'set', 'veth1', 'up'],
  ];
  for (const cmd of required) {
    const r = ip('-n', ns, ...cmd);
    if (r.status !== 0) return `ip ${cmd.join(' ')}: ${r.stderr.trim()}`;
  }
  // Kinds this kernel may lack: each is a bonus.
  for (const cmd of [
    ['link', 'property', 'add', 'dev', 'veth0', 'altname', 'veth-uplink'],
    ['link', 'add', 'br0', 'type', 'bridge'],
    ['link', 'set', 'veth1', 'master', 'br0'],
    ['link', 'add', 'ifb9', 'type', 'ifb'],
    ['tuntap', 'add', 'tap9', 'mode', 'tap'],
  ]) {
    const r = ip('-n', ns, ...cmd);
    if (r.status !== 0) t.diagnostic(`skipped: ip ${cmd.join(' ')}: ${r.stderr.trim()}`);
  }
  return { ns };
}

/** GET from inside the namespace (its loopback is not ours), by a child node there. */
function getIn(ns: string): (url: string) => Promise<string> {
  const script = 'fetch(process.argv[1]).then((r) => r.text()).then((s) => process.stdout.write(s), (e) => { console.error(String(e)); process.exit(1); })';
  return async (url) => {
    for (const t0 = Date.now(); ; await new Promise((r) => setTimeout(r, 100))) {
      const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, '-e', script, url], { encoding: 'utf8', timeout: 10_000, maxBuffer: 16 << 20 });
      if (r.status === 0) return r.stdout;
      if (Date.now() - t0 > 10_000) throw new Error(`GET ${url} in ${ns}: ${r.stderr}`);
    }
  };
}

async function scrapeBothIn(t: TestContext, ns: string, flags: readonly string[]): Promise<BothScrapes> {
  const args = ['--collector.disable-defaults', ...flags.map((f) => `--collector.${f}`)];
  const port = await freePort();
  const theirs = spawn('ip', ['netns', 'exec', ns, NODE_EXPORTER, ...args, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  t.after(() => theirs.kill('SIGTERM'));
  const get = getIn(ns);
  // scrapeOurs has checked our collector succeeded; its logs are not needed past that.
  const ours = await scrapeOurs(t, flags, ['ip', 'netns', 'exec', ns], get);
  return { theirs: await get(`http://127.0.0.1:${port}/metrics`), ours, ourLogs: '' };
}

test('netclass netlink: same series and values as node_exporter 1.5.0 in a namespace with veth, bridge, ifb, tap', { timeout: 90_000 }, async (t) => {
  const skip = referenceMissing();
  if (skip !== undefined) return t.skip(skip);
  const scratch = scratchNamespace(t);
  if (typeof scratch === 'string') return t.skip(scratch);
  const both = await scrapeBothIn(t, scratch.ns, NETLINK);
  assertSameAsReference(both);
  const ours = seriesValues(both.ours, FAMILIES);
  // What the namespace was built with, seen through netlink (values 1.5.0 agreed with above).
  const info = [...ours.keys()].filter((k) => k.startsWith('node_network_info{') && k.includes(',device=veth0,'));
  assert.equal(info.length, 1);
  assert.match(info[0] ?? '', /,duplex=Full,ifalias=uplink one,operstate=up\}$/);
  assert.equal(ours.get('node_network_mtu_bytes{device=veth0}'), 9000);
  assert.equal(ours.get('node_network_net_dev_group{device=veth0}'), 5);
  assert.equal(ours.get('node_network_transmit_queue_length{device=veth0}'), 77);
  assert.equal(ours.get('node_network_iface_link{device=veth0}'), ours.get('node_network_iface_id{device=veth1}'));
  if ([...ours.keys()].some((k) => k.startsWith('node_network_altnames_info{'))) assert.ok(ours.has('node_network_altnames_info{altname=veth-uplink,device=veth0}'));
});

test('netclass: netlink and sysfs modes agree in a namespace with veth, bridge, ifb, tap', { timeout: 90_000 }, async (t) => {
  const scratch = scratchNamespace(t);
  if (typeof scratch === 'string') return t.skip(scratch);
  const [runner, get] = [['ip', 'netns', 'exec', scratch.ns], getIn(scratch.ns)];
  assertModesAgree(t, await scrapeOurs(t, ['netclass'], runner, get), await scrapeOurs(t, NETLINK, runner, get));
});
