import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, NoDataError } from '../../src/collector.js';
import type { MetricFamily } from '../helpers/series.js';
import { arp } from '../../src/collectors/arp.js';
import { conntrack } from '../../src/collectors/conntrack.js';
import { lnstat } from '../../src/collectors/lnstat.js';
import { netstat } from '../../src/collectors/netstat.js';
import { sockstatDefinition } from '../../src/collectors/sockstat.js';
import { udpQueues } from '../../src/collectors/udp-queues.js';
import { xfrm, xfrmMetricName } from '../../src/collectors/xfrm.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { fixturePath } from '../helpers/repo.js';
import { buildCollector, collectOnce, collectSeries, familySeries } from '../helpers/series.js';

const roots = { procfs: fixturePath('proc') };
const types = (fs: MetricFamily[]) => new Set(fs.map((f) => f.type));

/** A scratch procfs with copies of fixtures/proc/<rel>, then `files` written over it. */
function scratch(rels: string[], files: Record<string, string> = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), 'nets-net-'));
  for (const rel of rels) cpSync(fixturePath('proc', rel), path.join(root, rel), { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

test('arp: entries counted per device, include/exclude both applied', async () => {
  const noNetlink = { 'collector.arp.netlink': false };
  assert.deepEqual(Object.fromEntries(await collectSeries(arp, { roots, options: noNetlink })), {
    'node_arp_entries{device="eth0"}': 4,
    'node_arp_entries{device="docker0"}': 1,
    'node_arp_entries{device="ib0"}': 1,
    'node_arp_entries{device="wlan0"}': 1,
  });
  const m = await collectSeries(arp, { roots, options: { ...noNetlink, 'collector.arp.device-include': '^(eth|wlan)', 'collector.arp.device-exclude': '^wlan' } });
  assert.deepEqual([...m.keys()], ['node_arp_entries{device="eth0"}']);
});

test("arp: netlink mode (the default) counts the exporter's own namespace, whatever --path.procfs says", async () => {
  const live = readFileSync('/proc/self/net/arp', 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '');
  const want = new Map<string, number>();
  for (const l of live) {
    const device = l.trim().split(/\s+/)[5] ?? '';
    want.set(`node_arp_entries{device=${JSON.stringify(device)}}`, (want.get(`node_arp_entries{device=${JSON.stringify(device)}}`) ?? 0) + 1);
  }
  // The fixture's eth0/docker0/ib0/wlan0 entries must not show up: the fixtures are not our namespace.
  assert.deepEqual(Object.fromEntries(await collectSeries(arp, { roots })), Object.fromEntries(want));
  assert.throws(() => buildCollector(arp, { options: { 'collector.arp.device-exclude': '[' } }), ConfigError);
});

test('conntrack: entries, limit and per-CPU stats summed', async () => {
  const fs = await collectOnce(buildCollector(conntrack, { roots }));
  assert.deepEqual(types(fs), new Set(['gauge']));
  const m = await collectSeries(conntrack, { roots });
  assert.deepEqual(Object.fromEntries(m), {
    'node_nf_conntrack_entries{}': 500,
    'node_nf_conntrack_entries_limit{}': 262144,
    'node_nf_conntrack_stat_found{}': 0,
    'node_nf_conntrack_stat_invalid{}': 0x19 + 0x21 + 0x0e + 0x07,
    'node_nf_conntrack_stat_ignore{}': 0,
    'node_nf_conntrack_stat_insert{}': 0,
    'node_nf_conntrack_stat_insert_failed{}': 1,
    'node_nf_conntrack_stat_drop{}': 2,
    'node_nf_conntrack_stat_early_drop{}': 0,
    'node_nf_conntrack_stat_search_restart{}': 0x2a + 0x11 + 0x09 + 0x03,
  });
});

test('conntrack: module not loaded is no data; a malformed stat file fails', async () => {
  await assert.rejects(collectSeries(conntrack, { roots: { procfs: scratch(['net/stat']) } }), NoDataError);
  const root = scratch(['sys/net'], { 'net/stat/nf_conntrack': 'entries searched\n00000001 00000002\n' });
  await assert.rejects(collectSeries(conntrack, { roots: { procfs: root } }), (e: unknown) => e instanceof ParseError && /nf_conntrack:2:/.test(e.message));
  rmSync(root, { recursive: true });
});

test('lnstat: every /proc/net/stat file, per CPU, as counters', async () => {
  const fs = await collectOnce(buildCollector(lnstat, { roots }));
  assert.deepEqual(types(fs), new Set(['counter']));
  const m = await collectSeries(lnstat, { roots });
  assert.equal(m.get('node_lnstat_lookups_total{cpu="2",subsystem="arp_cache"}'), 0xf02);
  assert.equal(m.get('node_lnstat_entries_total{cpu="3",subsystem="nf_conntrack"}'), 500);
  assert.equal(m.get('node_lnstat_cookie_valid_total{cpu="0",subsystem="synproxy"}'), 3);
  assert.equal(familySeries(m, 'node_lnstat_entries_total').size, 12);
  assert.equal(m.size, 4 * (13 + 17 + 6));
  assert.deepEqual(Object.fromEntries(await collectSeries(lnstat, { roots: { procfs: fixturePath('does-not-exist') } })), {});
});

test('netstat: the default field selection, untyped, last file wins per protocol', async () => {
  const fs = await collectOnce(
    buildCollector(netstat, {
      roots,
      options: {
        'collector.netstat.fields':
          '^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts|TCPOFOQueue|TCPRcvQDrop)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$',
      },
    }),
  );
  assert.deepEqual(types(fs), new Set(['untyped']));
  const m = await collectSeries(netstat, { roots }); // no option given: the same default
  assert.equal(m.size, fs.length);
  assert.equal(m.get('node_netstat_IpExt_InOctets{}'), 9007199254740992);
  assert.equal(m.get('node_netstat_Tcp_InSegs{}'), 4294967301);
  assert.equal(m.get('node_netstat_TcpExt_ListenDrops{}'), 23);
  assert.equal(m.get('node_netstat_Ip6_OutOctets{}'), 91234567);
  assert.equal(m.get('node_netstat_UdpLite6_InErrors{}'), 0);
  assert.ok(!m.has('node_netstat_Tcp_MaxConn{}'));
  const only = await collectSeries(netstat, { roots, options: { 'collector.netstat.fields': '^Tcp_MaxConn$' } });
  assert.deepEqual(Object.fromEntries(only), { 'node_netstat_Tcp_MaxConn{}': -1 });
  assert.throws(() => buildCollector(netstat, { options: { 'collector.netstat.fields': '(' } }), ConfigError);
});

test('netstat: a protocol in snmp replaces the same protocol from netstat whole, as upstream merges', async () => {
  const root = scratch(['net/snmp'], { 'net/netstat': 'Ip: OnlyInNetstat Forwarding\nIp: 5 2\n' });
  const m = await collectSeries(netstat, { roots: { procfs: root }, options: { 'collector.netstat.fields': '^Ip_' } });
  assert.equal(m.get('node_netstat_Ip_Forwarding{}'), 1);
  assert.ok(!m.has('node_netstat_Ip_OnlyInNetstat{}'));
});

test('netstat: snmp6 may be missing; netstat may not; a bad value anywhere fails', async () => {
  const noSix = await collectSeries(netstat, { roots: { procfs: scratch(['net/netstat', 'net/snmp']) } });
  assert.ok(noSix.has('node_netstat_Tcp_InSegs{}') && !noSix.has('node_netstat_Ip6_InOctets{}'));
  await assert.rejects(collectSeries(netstat, { roots: { procfs: scratch(['net/snmp']) } }), (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT');
  const bad = scratch(['net/netstat', 'net/snmp'], { 'net/snmp6': 'Ip6InReceives 12\nIp6InTooBigErrors x\n' });
  await assert.rejects(collectSeries(netstat, { roots: { procfs: bad } }), (e: unknown) => e instanceof ParseError && /snmp6:2:/.test(e.message));
});

test('sockstat: IPv4 and IPv6, mem also in bytes of this page size', async () => {
  const def = sockstatDefinition({ pageSize: async () => 16384 });
  const m = await collectSeries(def, { roots });
  assert.deepEqual(Object.fromEntries(m), {
    'node_sockstat_sockets_used{}': 1482,
    'node_sockstat_TCP_inuse{}': 211,
    'node_sockstat_TCP_orphan{}': 3,
    'node_sockstat_TCP_tw{}': 517,
    'node_sockstat_TCP_alloc{}': 298,
    'node_sockstat_TCP_mem{}': 97,
    'node_sockstat_TCP_mem_bytes{}': 97 * 16384,
    'node_sockstat_UDP_inuse{}': 14,
    'node_sockstat_UDP_mem{}': 6,
    'node_sockstat_UDP_mem_bytes{}': 6 * 16384,
    'node_sockstat_UDPLITE_inuse{}': 0,
    'node_sockstat_RAW_inuse{}': 1,
    'node_sockstat_FRAG_inuse{}': 0,
    'node_sockstat_FRAG_memory{}': 0,
    'node_sockstat_TCP6_inuse{}': 38,
    'node_sockstat_UDP6_inuse{}': 7,
    'node_sockstat_UDPLITE6_inuse{}': 0,
    'node_sockstat_RAW6_inuse{}': 2,
    'node_sockstat_FRAG6_inuse{}': 1,
    'node_sockstat_FRAG6_memory{}': 1152,
  });
});

test('sockstat: a missing half is skipped, a malformed one fails', async () => {
  const v4only = await collectSeries(sockstatDefinition({ pageSize: async () => 4096 }), { roots: { procfs: scratch(['net/sockstat']) } });
  assert.equal(v4only.get('node_sockstat_TCP_mem_bytes{}'), 97 * 4096);
  assert.ok(![...v4only.keys()].some((k) => k.includes('6_')));
  const bad = scratch(['net/sockstat'], { 'net/sockstat6': 'TCP6: inuse\n' });
  await assert.rejects(collectSeries(sockstatDefinition(), { roots: { procfs: bad } }), ParseError);
});

test('udp_queues: tx and rx per IP version', async () => {
  assert.deepEqual(Object.fromEntries(await collectSeries(udpQueues, { roots })), {
    'node_udp_queues{ip="v4",queue="tx"}': 0x340,
    'node_udp_queues{ip="v4",queue="rx"}': 0x1200 + 0x3a8e0,
    'node_udp_queues{ip="v6",queue="tx"}': 0x80,
    'node_udp_queues{ip="v6",queue="rx"}': 0x300,
  });
  const v4 = await collectSeries(udpQueues, { roots: { procfs: scratch(['net/udp']) } });
  assert.equal(v4.size, 2);
  await assert.rejects(collectSeries(udpQueues, { roots: { procfs: scratch([]) } }), NoDataError);
  const bad = scratch(['net/udp'], { 'net/udp6': 'header\n  1: zz\n' });
  await assert.rejects(collectSeries(udpQueues, { roots: { procfs: bad } }), (e: unknown) => e instanceof ParseError && /udp6:2:/.test(e.message));
});

test('xfrm: all 28 upstream counters, names as upstream', async () => {
  const fs = await collectOnce(buildCollector(xfrm, { roots }));
  assert.equal(fs.length, 28);
  assert.deepEqual(types(fs), new Set(['counter']));
  const m = await collectSeries(xfrm, { roots });
  assert.equal(m.get('node_xfrm_in_no_pols_packets_total{}'), 1288);
  assert.equal(m.get('node_xfrm_acquire_error_packets_total{}'), 3);
  assert.equal(m.get('node_xfrm_in_error_packets_total{}'), 0);
  assert.equal(xfrmMetricName('XfrmOutBundleCheckError'), 'node_xfrm_out_bundle_check_error_packets_total');
  assert.equal(xfrmMetricName('XfrmFwdHdrError'), 'node_xfrm_fwd_hdr_error_packets_total');
  await assert.rejects(collectSeries(xfrm, { roots: { procfs: scratch([]) } }), (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT');
});
