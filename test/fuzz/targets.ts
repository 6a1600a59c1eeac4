import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../src/collector.js';
import { parseBuddyinfo } from '../../src/procfs/buddyinfo.js';
import { parseCgroups } from '../../src/procfs/cgroups.js';
import { parseCpuinfo } from '../../src/procfs/cpuinfo.js';
import { parseDiskstats } from '../../src/procfs/diskstats.js';
import { parseDrbd } from '../../src/procfs/drbd.js';
import { parseFileNr } from '../../src/procfs/file-nr.js';
import { parseGoFloat, parseGoInt, parseGoIntExact } from '../../src/procfs/go-number.js';
import { parseInterrupts } from '../../src/procfs/interrupts.js';
import { parseIpvsBackends, parseIpvsStats } from '../../src/procfs/ipvs.js';
import { parseLoadavg } from '../../src/procfs/loadavg.js';
import { parseMdstat } from '../../src/procfs/mdstat.js';
import { parseMeminfo } from '../../src/procfs/meminfo.js';
import { parseMountInfo } from '../../src/procfs/mountinfo.js';
import { parseMountStats } from '../../src/procfs/mountstats.js';
import { parseArp } from '../../src/procfs/net-arp.js';
import { parseConntrackStat, parseSingleUint } from '../../src/procfs/net-conntrack.js';
import { parseNetDev, parseNetDevRows } from '../../src/procfs/net-dev.js';
import { parseLnstat } from '../../src/procfs/net-lnstat.js';
import { parseNetstatPairs, parseSnmp6 } from '../../src/procfs/net-netstat.js';
import { parseSockstat } from '../../src/procfs/net-sockstat.js';
import { parseUdpSummary } from '../../src/procfs/net-udp.js';
import { parseXfrmStat } from '../../src/procfs/net-xfrm.js';
import { parseNfsClientStats, parseNfsServerStats } from '../../src/procfs/nfs-rpc.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { parsePidStat } from '../../src/procfs/pid-stat.js';
import { parsePressure } from '../../src/procfs/pressure.js';
import { parseSchedstat } from '../../src/procfs/schedstat.js';
import { parseSoftLimit, parseStatusKiB } from '../../src/procfs/self-status.js';
import { parseSlabinfo } from '../../src/procfs/slabinfo.js';
import { parseSoftirqs } from '../../src/procfs/softirqs.js';
import { parseSoftnet } from '../../src/procfs/softnet.js';
import { parseStat } from '../../src/procfs/stat.js';
import { parseSwaps } from '../../src/procfs/swaps.js';
import { parseSysctlInts, parseSysctlValues } from '../../src/procfs/sysctl.js';
import { parseIntValue, parseUintValue } from '../../src/procfs/value-file.js';
import { parseVmstat } from '../../src/procfs/vmstat.js';
import { parseXfsStats } from '../../src/procfs/xfs-stat.js';
import { parseZfsKstat, parseZfsObjset, parseZfsPoolIo, parseZfsPoolState } from '../../src/procfs/zfs.js';
import { parseZoneinfo } from '../../src/procfs/zoneinfo.js';
import { parseAuxvPageSize } from '../../src/procfs/auxv.js';
import * as bcache from '../../src/sysfs/bcache.js';
import * as bcachefs from '../../src/sysfs/bcachefs.js';
import { parseBtrfsCommitStats, parseBtrfsValue } from '../../src/sysfs/btrfs.js';
import { parseAvailableClocksources, parseCurrentClocksource } from '../../src/sysfs/clocksource.js';
import { parseVulnerability } from '../../src/sysfs/cpu-vulnerabilities.js';
import { parseCpuList, parseCpuOnline } from '../../src/sysfs/cpu.js';
import { dmiInfoLabels, parseDmiValue } from '../../src/sysfs/dmi.js';
import { parseDmMultipathDevice } from '../../src/sysfs/dmmultipath.js';
import { parseAmdgpuCard, type AmdgpuFile } from '../../src/sysfs/drm.js';
import { parseFibreChannelHost, parseUintBase0 } from '../../src/sysfs/fibrechannel.js';
import { groupSensorFiles, hwmonSensorReadings } from '../../src/sysfs/hwmon.js';
import { parseIbCounter, parseIbRate, parseIbState } from '../../src/sysfs/infiniband.js';
import { parseRaidDisks, parseSyncCompleted } from '../../src/sysfs/mdraid.js';
import { parseNetClassAttributes, parseNetClassIface, parseNetStatistic } from '../../src/sysfs/net-class.js';
import { parseNodeMeminfo } from '../../src/sysfs/node-meminfo.js';
import { parseNumastat } from '../../src/sysfs/numastat.js';
import { nvmePathState } from '../../src/sysfs/nvme-subsystem.js';
import { parseNvmeNamespace } from '../../src/sysfs/nvme.js';
import { parsePciDevice, parsePciLocation, type PciFile } from '../../src/sysfs/pci-device.js';
import { parsePciIds } from '../../src/sysfs/pci-ids.js';
import { parsePowerSupply } from '../../src/sysfs/power-supply.js';
import { raplZoneIndexAndName } from '../../src/sysfs/powercap.js';
import { parseTapeStats } from '../../src/sysfs/scsi-tape.js';
import { parseSecurityContext, parseSelinuxEnforce } from '../../src/sysfs/selinux.js';
import { parseCoolingDevice, parseThermalZone } from '../../src/sysfs/thermal.js';
import { parseWatchdog, type WatchdogFile } from '../../src/sysfs/watchdog.js';
import { parseOsRelease, supportEndSeconds } from '../../src/etc/os-release.js';
import { parseRunitStatus } from '../../src/etc/runit-status.js';
import { selinuxConfigMode } from '../../src/etc/selinux-config.js';
import { parseUdevData } from '../../src/etc/udev-data.js';
import { parseTextFormat } from '../../src/textfile/parse.js';
import { parseLinkModes } from '../../src/netlink/ethtool-linkmodes.js';
import { parseFamilyDump, parseGenlDump } from '../../src/netlink/genl.js';
import { parseInetDiagDump } from '../../src/netlink/inet-diag.js';
import { parseLinkDetailsDump } from '../../src/netlink/link.js';
import { dumpMessages, NetlinkError, parseAttributes } from '../../src/netlink/message.js';
import { parseBss, parseInterfaces, parseStations } from '../../src/netlink/nl80211.js';
import { parseQdiscFixture } from '../../src/netlink/qdisc.js';
import { parseRouteDump } from '../../src/netlink/route-table.js';
import { parseLinkDump, parseNeighbourDump, parseQdiscDump } from '../../src/netlink/route.js';
import { parseWifiBss, parseWifiInterfaces, parseWifiStations } from '../../src/netlink/wifi-fixture.js';
import { decodeLinkModes } from '../../src/ethtool/link-modes.js';
import { parseDriverInfo, parseGstrings, parseLinkInfo, parseStats } from '../../src/ethtool/structs.js';
import { parseWebConfig } from '../../src/server/web-config.js';
import { decodeHeader, encodeHeader, NtpPacketError } from '../../src/ntp/packet.js';
import { parseMethodResponse } from '../../src/supervisord/xmlrpc.js';
import { fixturesDir } from '../helpers/repo.js';
import { parseTzif, tzifZone } from '../../src/etc/tzif.js';
import { buildTzif, CET_LIKE } from '../helpers/tzif.js';

/**
 * Every parser the fuzzer drives: what it takes (one text, one byte buffer, netlink datagrams, or
 * a directory's files), the fixtures its damaged inputs start from, and which errors are its own
 * (ParseError everywhere; ConfigError for the web config; NetlinkError when a dump carries the
 * kernel's error status; NtpPacketError for NTP replies). Anything else thrown is a bug.
 */
export type Target =
  | { name: string; kind: 'text'; seeds: () => Buffer[]; run: (text: string) => unknown; errors?: readonly ErrorClass[] }
  | { name: string; kind: 'bytes'; seeds: () => Buffer[]; run: (bytes: Buffer) => unknown; errors?: readonly ErrorClass[] }
  | { name: string; kind: 'datagrams'; seeds: () => Buffer[][]; run: (datagrams: Buffer[]) => unknown; errors?: readonly ErrorClass[] }
  | { name: string; kind: 'files'; seeds: () => Map<string, Buffer>[]; run: (files: Map<string, string>) => unknown; errors?: readonly ErrorClass[] };

// biome-ignore lint/suspicious/noExplicitAny: any error class
type ErrorClass = new (...args: any[]) => Error;

export const DEFAULT_ERRORS: readonly ErrorClass[] = [ParseError];

const fx = (...parts: string[]): string => path.join(fixturesDir, ...parts);
const read = (...parts: string[]): Buffer => readFileSync(fx(...parts));
const text = (...values: string[]): Buffer[] => values.map((v) => Buffer.from(v));

/** Paths (relative to root) of the regular files under root; symbolic links are not followed (sysfs has cycles). */
function walk(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isFile()) out.push(r);
    else if (e.isDirectory() && r.split('/').length < 6) out.push(...walk(root, r));
  }
  return out;
}

/** Regular files under a fixture directory whose relative path matches. */
function files(dir: string, match: RegExp): Buffer[] {
  const root = realpathSync(fx(dir));
  const out = walk(root)
    .filter((rel) => match.test(rel))
    .map((rel) => readFileSync(path.join(root, rel)));
  if (out.length === 0) throw new Error(`no fixture under ${dir} matches ${match}`);
  return out;
}

/** Each directory's files (relative name → bytes), for parsers that take a whole sysfs directory. */
function dirs(...relDirs: string[]): Map<string, Buffer>[] {
  return relDirs.map((d) => {
    const root = realpathSync(fx(d));
    const m = new Map<string, Buffer>();
    for (const rel of walk(root)) if (!rel.includes('power/') && statSync(path.join(root, rel)).size < 64 * 1024) m.set(rel, readFileSync(path.join(root, rel)));
    if (m.size === 0) throw new Error(`no files under ${d}`);
    return m;
  });
}

function hexDump(...parts: string[]): Buffer[] {
  return read(...parts)
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => Buffer.from(l, 'hex'));
}

const nl = (name: string): Buffer[] => hexDump('netlink', 'fuzz', `${name}.hex`);
const ALL_DUMPS = ['rtm-getlink', 'rtm-getroute', 'rtm-getneigh', 'rtm-getqdisc', 'sock-diag-tcp4', 'genl-ctrl-getfamily', 'ethtool-linkmodes'];
/** A dump type's own seeds first, then every other captured dump (a parser must cope with any of them). */
const dumps = (own: string): Buffer[][] => [nl(own), nl(own), nl(own), ...ALL_DUMPS.filter((d) => d !== own).map(nl)];
/** The message type of the first message of a datagram list (genetlink family id), 0 if none. */
const firstType = (d: Buffer[]): number => (d[0] !== undefined && d[0].length >= 6 ? d[0].readUInt16LE(4) : 0);

const stringMap = <K extends string>(m: Map<string, string>): Map<K, string> => m as Map<K, string>;

const WEB_CONFIG = `tls_server_config:
  cert_file: /etc/node-exporter/tls.crt
  key_file: /etc/node-exporter/tls.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: /etc/node-exporter/ca.crt
  min_version: TLS12
  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]
http_server_config:
  headers:
    X-Frame-Options: deny
basic_auth_users:
  prometheus: $2y$10$X0h0W9x1ygY5hRGmZbyUqOfmH8bWQOaVlT0GHSXw35G.6e9e3vRsW
rate_limit:
  interval: 1s
  burst: 10
`;

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 524288               files
Max processes             62811                62811                processes
`;
const STATUS = `Name:\tnode
Umask:\t0022
State:\tS (sleeping)
VmPeak:\t 1236364 kB
VmRSS:\t   61512 kB
Threads:\t11
`;

const XMLRPC = [
  '<?xml version="1.0"?><methodResponse><params><param><value><array><data><value><struct><member><name>name</name><value><string>cron</string></value></member><member><name>state</name><value><int>20</int></value></member><member><name>start</name><value><i4>1700000000</i4></value></member><member><name>ok</name><value><boolean>1</boolean></value></member><member><name>x</name><value><double>1.5e3</double></value></member></struct></value></data></array></value></param></params></methodResponse>',
  '<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1</int></value></member><member><name>faultString</name><value><string>a &amp; b &#65; &#x42;</string></value></member></struct></value></fault></methodResponse>',
];

function ntpSeeds(): Buffer[] {
  const h = {
    leap: 0,
    version: 4,
    mode: 4,
    stratum: 2,
    poll: 6,
    precision: -20,
    rootDelay: 0x100,
    rootDispersion: 0x200,
    referenceId: 0x7f000001,
    referenceTime: 1n << 40n,
    originTime: 2n << 40n,
    receiveTime: 3n << 40n,
    transmitTime: 4n << 40n,
  };
  return [encodeHeader(h)];
}

function ethtoolSeeds(size: number, fill: (b: Buffer) => void): () => Buffer[] {
  return () => {
    const b = Buffer.alloc(size);
    fill(b);
    return [b];
  };
}

export const TARGETS: readonly Target[] = [
  // /proc
  { name: 'procfs/buddyinfo', kind: 'text', seeds: () => [read('proc', 'buddyinfo')], run: parseBuddyinfo },
  { name: 'procfs/cgroups', kind: 'text', seeds: () => [read('proc', 'cgroups')], run: parseCgroups },
  { name: 'procfs/cpuinfo (x86)', kind: 'text', seeds: () => [read('proc', 'cpuinfo')], run: (t) => parseCpuinfo(t, 'x86') },
  { name: 'procfs/cpuinfo (arm)', kind: 'text', seeds: () => files('arm64', /cpuinfo$/), run: (t) => parseCpuinfo(t, 'arm') },
  { name: 'procfs/diskstats', kind: 'text', seeds: () => [read('proc', 'diskstats')], run: parseDiskstats },
  { name: 'procfs/drbd', kind: 'text', seeds: () => [read('proc', 'drbd')], run: parseDrbd },
  { name: 'procfs/file-nr', kind: 'text', seeds: () => [read('proc', 'sys', 'fs', 'file-nr')], run: parseFileNr },
  {
    name: 'procfs/go-number',
    kind: 'text',
    seeds: () => text('1.5e3', '-0x1p-2', '1_000', 'Inf', '0b101', '9223372036854775807'),
    run: (t) => [parseGoFloat(t), parseGoInt(t), parseGoIntExact(t)],
  },
  { name: 'procfs/interrupts', kind: 'text', seeds: () => [read('proc', 'interrupts')], run: parseInterrupts },
  { name: 'procfs/ipvs stats', kind: 'text', seeds: () => [read('proc', 'net', 'ip_vs_stats')], run: parseIpvsStats },
  { name: 'procfs/ipvs backends', kind: 'text', seeds: () => [read('proc', 'net', 'ip_vs')], run: parseIpvsBackends },
  { name: 'procfs/loadavg', kind: 'text', seeds: () => [read('proc', 'loadavg')], run: parseLoadavg },
  { name: 'procfs/mdstat', kind: 'text', seeds: () => [read('proc', 'mdstat')], run: parseMdstat },
  { name: 'procfs/meminfo', kind: 'text', seeds: () => [read('proc', 'meminfo')], run: parseMeminfo },
  { name: 'procfs/mountinfo', kind: 'text', seeds: () => [read('proc', 'self', 'mountinfo'), ...files('proc', /^\d+\/mountinfo$/)], run: parseMountInfo },
  { name: 'procfs/mountstats', kind: 'text', seeds: () => [read('nfsclient', 'proc', 'self', 'mountstats')], run: parseMountStats },
  { name: 'procfs/net/arp', kind: 'text', seeds: () => [read('proc', 'net', 'arp')], run: parseArp },
  { name: 'procfs/net/stat/nf_conntrack', kind: 'text', seeds: () => [read('proc', 'net', 'stat', 'nf_conntrack')], run: parseConntrackStat },
  { name: 'procfs/single uint', kind: 'text', seeds: () => [read('proc', 'sys', 'kernel', 'pid_max')], run: parseSingleUint },
  { name: 'procfs/net/dev', kind: 'text', seeds: () => [read('proc', 'net', 'dev')], run: parseNetDev },
  { name: 'procfs/net/dev rows', kind: 'text', seeds: () => [read('proc', 'net', 'dev')], run: parseNetDevRows },
  { name: 'procfs/net/stat (lnstat)', kind: 'text', seeds: () => [read('proc', 'net', 'stat', 'arp_cache'), read('proc', 'net', 'stat', 'synproxy')], run: parseLnstat },
  { name: 'procfs/net/netstat+snmp', kind: 'text', seeds: () => [read('proc', 'net', 'netstat'), read('proc', 'net', 'snmp')], run: parseNetstatPairs },
  { name: 'procfs/net/snmp6', kind: 'text', seeds: () => [read('proc', 'net', 'snmp6')], run: parseSnmp6 },
  { name: 'procfs/net/sockstat', kind: 'text', seeds: () => [read('proc', 'net', 'sockstat'), read('proc', 'net', 'sockstat6')], run: parseSockstat },
  { name: 'procfs/net/udp', kind: 'text', seeds: () => [read('proc', 'net', 'udp'), read('proc', 'net', 'udp6')], run: parseUdpSummary },
  { name: 'procfs/net/xfrm_stat', kind: 'text', seeds: () => [read('proc', 'net', 'xfrm_stat')], run: parseXfrmStat },
  { name: 'procfs/net/rpc/nfs', kind: 'text', seeds: () => [read('proc', 'net', 'rpc', 'nfs')], run: parseNfsClientStats },
  { name: 'procfs/net/rpc/nfsd', kind: 'text', seeds: () => [read('proc', 'net', 'rpc', 'nfsd')], run: parseNfsServerStats },
  { name: 'procfs/pid stat', kind: 'text', seeds: () => files('proc', /^\d+\/stat$/), run: parsePidStat },
  { name: 'procfs/pressure', kind: 'text', seeds: () => files('proc', /^pressure\//), run: parsePressure },
  { name: 'procfs/schedstat', kind: 'text', seeds: () => [read('proc', 'schedstat')], run: parseSchedstat },
  {
    name: 'procfs/self limits+status',
    kind: 'text',
    seeds: () => text(LIMITS, STATUS),
    run: (t) => [parseSoftLimit(t, 'Max open files'), parseStatusKiB(t, 'VmRSS')],
  },
  { name: 'procfs/slabinfo', kind: 'text', seeds: () => [read('proc', 'slabinfo')], run: parseSlabinfo },
  { name: 'procfs/softirqs', kind: 'text', seeds: () => [read('proc', 'softirqs')], run: parseSoftirqs },
  { name: 'procfs/net/softnet_stat', kind: 'text', seeds: () => [read('proc', 'net', 'softnet_stat')], run: parseSoftnet },
  { name: 'procfs/stat', kind: 'text', seeds: () => [read('proc', 'stat')], run: parseStat },
  { name: 'procfs/swaps', kind: 'text', seeds: () => [read('proc', 'swaps')], run: parseSwaps },
  { name: 'procfs/sysctl', kind: 'text', seeds: () => files('proc', /^sys\//), run: (t) => [parseSysctlValues(t), parseSysctlInts(t)] },
  {
    name: 'procfs/value file',
    kind: 'text',
    seeds: () => files('proc', /^sys\/(kernel\/(pid_max|threads-max)|vm\/swappiness)$/),
    run: (t) => [parseUintValue(t), parseIntValue(t)],
  },
  { name: 'procfs/vmstat', kind: 'text', seeds: () => [read('proc', 'vmstat')], run: parseVmstat },
  { name: 'procfs/xfs stats', kind: 'text', seeds: () => files('sys/fs/xfs', /stats$/), run: parseXfsStats },
  { name: 'procfs/zfs kstat', kind: 'text', seeds: () => files('proc/spl/kstat/zfs', /^[a-z_]+$/), run: parseZfsKstat },
  { name: 'procfs/zfs objset', kind: 'text', seeds: () => files('proc/spl/kstat/zfs', /objset-/), run: parseZfsObjset },
  { name: 'procfs/zfs pool io', kind: 'text', seeds: () => files('proc/spl/kstat/zfs', /\/io$/), run: parseZfsPoolIo },
  { name: 'procfs/zfs pool state', kind: 'text', seeds: () => files('proc/spl/kstat/zfs', /\/state$/), run: parseZfsPoolState },
  { name: 'procfs/zoneinfo', kind: 'text', seeds: () => [read('proc', 'zoneinfo')], run: parseZoneinfo },
  {
    name: 'procfs/auxv',
    kind: 'bytes',
    seeds: ethtoolSeeds(64, (b) => {
      b.writeBigUInt64LE(6n, 0);
      b.writeBigUInt64LE(4096n, 8);
    }),
    run: (b) => [parseAuxvPageSize(b, 8, true), parseAuxvPageSize(b, 4, false)],
  },
  // /sys
  {
    name: 'sysfs/bcache values',
    kind: 'text',
    seeds: () => files('sys/fs/bcache', /./),
    run: (t) => [bcache.parseBcacheHuman(t), bcache.parseBcacheHumanSigned(t), bcache.parseBcacheValueFile(t)],
  },
  { name: 'sysfs/bcache writeback_rate_debug', kind: 'text', seeds: () => files('sys/fs/bcache', /writeback_rate_debug$/), run: bcache.parseBcacheWritebackRateDebug },
  { name: 'sysfs/bcache priority_stats', kind: 'text', seeds: () => files('sys/fs/bcache', /priority_stats$/), run: bcache.parseBcachePriorityStats },
  { name: 'sysfs/bcachefs bytes', kind: 'text', seeds: () => text('1.5 GiB', '512', '0 B', '3.2 TiB'), run: (t) => bcachefs.parseBcachefsBytes(t) },
  { name: 'sysfs/bcachefs compression_stats', kind: 'text', seeds: () => files('sys/fs/bcachefs', /compression_stats$/), run: bcachefs.parseBcachefsCompressionStats },
  {
    name: 'sysfs/bcachefs errors',
    kind: 'text',
    seeds: () => files('sys/fs/bcachefs', /errors$/),
    run: (t) => [bcachefs.parseBcachefsErrors(t), bcachefs.parseBcachefsIoErrors(t)],
  },
  { name: 'sysfs/bcachefs counter', kind: 'text', seeds: () => files('sys/fs/bcachefs', /counters\//), run: bcachefs.parseBcachefsCounter },
  { name: 'sysfs/bcachefs btree_write_stats', kind: 'text', seeds: () => files('sys/fs/bcachefs', /btree_write_stats$/), run: bcachefs.parseBcachefsBtreeWriteStats },
  { name: 'sysfs/bcachefs io_done', kind: 'text', seeds: () => files('sys/fs/bcachefs', /io_done$/), run: bcachefs.parseBcachefsIoDone },
  { name: 'sysfs/btrfs commit_stats', kind: 'text', seeds: () => files('sys/fs/btrfs', /commit_stats$/), run: parseBtrfsCommitStats },
  { name: 'sysfs/btrfs value', kind: 'text', seeds: () => files('sys/fs/btrfs', /bytes/), run: parseBtrfsValue },
  {
    name: 'sysfs/clocksource',
    kind: 'text',
    seeds: () => files('sys/devices', /clocksource/),
    run: (t) => [parseAvailableClocksources(t), parseCurrentClocksource(t)],
  },
  { name: 'sysfs/cpu vulnerabilities', kind: 'text', seeds: () => files('sys/devices', /vulnerabilities\//), run: parseVulnerability },
  { name: 'sysfs/cpu list+online', kind: 'text', seeds: () => text('0-3,5,7-8\n', '1\n', '0\n', '0-127'), run: (t) => [parseCpuList(t), parseCpuOnline(t)] },
  { name: 'sysfs/dmi', kind: 'files', seeds: () => dirs('sys/class/dmi/id'), run: (m) => dmiInfoLabels(new Map([...m].map(([k, v]) => [k, Buffer.from(v)]))) },
  {
    name: 'etc/tzif (localtime)',
    kind: 'bytes',
    seeds: () => [buildTzif(CET_LIKE), buildTzif({ ...CET_LIKE, version: 1 }), buildTzif({ version: 3, types: [{ utoff: 19800, abbreviation: 'IST' }], footer: 'IST-5:30' })],
    run: (b) => {
      const zone = parseTzif(b);
      return [tzifZone(zone, 0), tzifZone(zone, 1_800_000_000)];
    },
  },
  { name: 'sysfs/dmi value', kind: 'bytes', seeds: () => files('sys/class/dmi/id', /./), run: parseDmiValue },
  {
    name: 'sysfs/dm multipath',
    kind: 'files',
    seeds: () => dirs('sys/block/dm-2', 'sys/block/dm-3'),
    run: (m) =>
      parseDmMultipathDevice('dm-0', { uuid: m.get('dm/uuid') ?? '', name: m.get('dm/name') ?? '', suspended: m.get('dm/suspended') ?? '', size: m.get('size') ?? '' }, []),
  },
  { name: 'sysfs/drm amdgpu', kind: 'files', seeds: () => dirs('sys/class/drm/card0/device'), run: (m) => parseAmdgpuCard(stringMap<AmdgpuFile>(m)) },
  {
    name: 'sysfs/fibrechannel',
    kind: 'files',
    seeds: () => dirs('sys/class/fc_host/host3', 'sys/class/fc_host/host4'),
    run: (m) => {
      const attrs = new Map([...m].filter(([k]) => !k.startsWith('statistics/')));
      const stats = new Map([...m].filter(([k]) => k.startsWith('statistics/')).map(([k, v]) => [k.slice('statistics/'.length), v]));
      return [parseFibreChannelHost('host3', attrs, stats), ...[...m.values()].map(parseUintBase0)];
    },
  },
  {
    name: 'sysfs/hwmon',
    kind: 'files',
    seeds: () =>
      dirs(
        ...readdirSync(fx('sys/class/hwmon'))
          .filter((h) => statSync(fx('sys/class/hwmon', h), { throwIfNoEntry: false }) !== undefined)
          .map((h) => `sys/class/hwmon/${h}`),
      ),
    run: (m) => [...groupSensorFiles([...m].map(([k, v]) => [path.basename(k), v] as const))].map(([sensor, data]) => hwmonSensorReadings(sensor, data)),
  },
  {
    name: 'sysfs/infiniband',
    kind: 'text',
    seeds: () => files('sys/class/infiniband', /ports\/\d+\/(state|rate|counters\/)/),
    run: (t) => [parseIbState(t), parseIbRate(t), parseIbCounter(t)],
  },
  { name: 'sysfs/mdraid', kind: 'text', seeds: () => files('sys/block', /^md\d+\/md\/(raid_disks|sync_completed)$/), run: (t) => [parseRaidDisks(t), parseSyncCompleted(t)] },
  {
    name: 'sysfs/net class',
    kind: 'files',
    seeds: () => dirs('sys/class/net/eth0', 'sys/class/net/enp1s0', 'sys/class/net/lo'),
    run: (m) => [parseNetClassIface('eth0', m), parseNetClassAttributes('eth0', [...m.values()]), ...[...m.values()].map((v) => (v.length < 64 ? parseNetStatistic(v) : 0))],
  },
  { name: 'sysfs/node meminfo', kind: 'text', seeds: () => files('sys/devices/system/node', /meminfo$/), run: parseNodeMeminfo },
  { name: 'sysfs/numastat', kind: 'text', seeds: () => files('sys/devices/system/node', /numastat$/), run: parseNumastat },
  { name: 'sysfs/nvme namespace', kind: 'files', seeds: () => dirs('sys/class/nvme/nvme0/nvme0n1'), run: (m) => parseNvmeNamespace('1', m) },
  { name: 'sysfs/nvme path state', kind: 'text', seeds: () => text('live\n', 'optimized\n', 'inaccessible'), run: nvmePathState },
  { name: 'sysfs/pci location', kind: 'text', seeds: () => text('0000:00:1c.0', '0000:02:00.0', '10000:3a:00.1'), run: parsePciLocation },
  {
    name: 'sysfs/pci device',
    kind: 'files',
    seeds: () => dirs('sys/bus/pci/devices/0000:00:1c.0', 'sys/bus/pci/devices/0000:02:00.0'),
    run: (m) => parsePciDevice('../../../devices/pci0000:00/0000:00:1c.0/0000:02:00.0', stringMap<PciFile>(new Map([...m].map(([k, v]) => [k, v.trim()])))),
  },
  { name: 'sysfs/pci.ids', kind: 'text', seeds: () => [read('usr', 'share', 'misc', 'pci.ids').subarray(0, 64 * 1024)], run: parsePciIds },
  {
    name: 'sysfs/power supply',
    kind: 'files',
    seeds: () => dirs('sys/class/power_supply/AC', 'sys/class/power_supply/BAT0', 'sys/class/power_supply/hidpp_battery_0'),
    run: (m) => parsePowerSupply(m),
  },
  { name: 'sysfs/powercap name', kind: 'text', seeds: () => files('sys/class/powercap', /name$/), run: (t) => raplZoneIndexAndName(new Map([['package', 0]]), t) },
  { name: 'sysfs/scsi tape', kind: 'files', seeds: () => dirs('sys/class/scsi_tape/st0/stats', 'sys/class/scsi_tape/st1/stats'), run: (m) => parseTapeStats(m) },
  {
    name: 'sysfs/selinux',
    kind: 'text',
    seeds: () => [read('sys', 'fs', 'selinux', 'enforce'), read('proc', 'self', 'attr', 'current')],
    run: (t) => [parseSelinuxEnforce(t), parseSecurityContext(t)],
  },
  {
    name: 'sysfs/thermal',
    kind: 'files',
    seeds: () => dirs('sys/class/thermal/thermal_zone0', 'sys/class/thermal/cooling_device0'),
    run: (m) => [parseThermalZone(m.get('type'), m.get('temp')), parseCoolingDevice(m.get('type') ?? '', m.get('max_state') ?? '', m.get('cur_state') ?? '')],
  },
  {
    name: 'sysfs/watchdog',
    kind: 'files',
    seeds: () => dirs('sys/class/watchdog/watchdog0', 'sys/class/watchdog/watchdog1'),
    run: (m) => parseWatchdog('watchdog0', stringMap<WatchdogFile>(m)),
  },
  // /etc, /run
  {
    name: 'etc/os-release',
    kind: 'text',
    seeds: () => [read('etc', 'os-release'), read('usr', 'lib', 'os-release')],
    run: (t) => [parseOsRelease(t), supportEndSeconds(t.slice(0, 40))],
  },
  { name: 'etc/runit status', kind: 'bytes', seeds: () => files('runit', /supervise\/status$/), run: parseRunitStatus },
  { name: 'etc/selinux config', kind: 'text', seeds: () => [read('etc', 'selinux', 'config')], run: selinuxConfigMode },
  { name: 'etc/udev data', kind: 'text', seeds: () => files('run/udev/data', /./), run: parseUdevData },
  // textfile
  { name: 'textfile/parse', kind: 'text', seeds: () => files('textfile', /\.prom$/), run: parseTextFormat },
  // netlink and ethtool decoders
  {
    name: 'netlink/messages+attributes',
    kind: 'datagrams',
    seeds: () => ALL_DUMPS.map(nl),
    run: (d) => dumpMessages(d).map((m) => parseAttributes(m.data.subarray(16))),
    errors: [ParseError, NetlinkError],
  },
  { name: 'netlink/link details', kind: 'datagrams', seeds: () => dumps('rtm-getlink'), run: parseLinkDetailsDump, errors: [ParseError, NetlinkError] },
  { name: 'netlink/link names', kind: 'datagrams', seeds: () => dumps('rtm-getlink'), run: parseLinkDump, errors: [ParseError, NetlinkError] },
  { name: 'netlink/routes', kind: 'datagrams', seeds: () => dumps('rtm-getroute'), run: parseRouteDump, errors: [ParseError, NetlinkError] },
  { name: 'netlink/neighbours', kind: 'datagrams', seeds: () => dumps('rtm-getneigh'), run: parseNeighbourDump, errors: [ParseError, NetlinkError] },
  {
    name: 'netlink/qdiscs',
    kind: 'datagrams',
    seeds: () => [...dumps('rtm-getqdisc'), hexDump('netlink', 'rtm-newqdisc-dump.hex')],
    run: (d) => parseQdiscDump(d, new Map([[1, 'lo']])),
    errors: [ParseError, NetlinkError],
  },
  { name: 'netlink/inet_diag', kind: 'datagrams', seeds: () => dumps('sock-diag-tcp4'), run: parseInetDiagDump, errors: [ParseError, NetlinkError] },
  { name: 'netlink/genl families', kind: 'datagrams', seeds: () => dumps('genl-ctrl-getfamily'), run: parseFamilyDump, errors: [ParseError, NetlinkError] },
  {
    name: 'netlink/ethtool linkmodes',
    kind: 'datagrams',
    seeds: () => dumps('ethtool-linkmodes'),
    run: (d) => parseLinkModes(parseGenlDump(d, firstType(d))),
    errors: [ParseError, NetlinkError],
  },
  {
    name: 'netlink/nl80211',
    kind: 'datagrams',
    seeds: () => ALL_DUMPS.map(nl),
    run: (d) => {
      const msgs = parseGenlDump(d, firstType(d));
      return [parseInterfaces(msgs), parseBss(msgs), parseStations(msgs)];
    },
    errors: [ParseError, NetlinkError],
  },
  { name: 'netlink/qdisc fixture json', kind: 'text', seeds: () => [read('netlink', 'qdisc', 'results.json')], run: parseQdiscFixture },
  {
    name: 'netlink/wifi fixture json',
    kind: 'text',
    seeds: () => files('netlink/wifi', /\.json$/),
    run: (t) => [parseWifiInterfaces(t), parseWifiBss(t), parseWifiStations(t)].length,
  },
  {
    name: 'ethtool/link info',
    kind: 'bytes',
    seeds: ethtoolSeeds(44, (b) => {
      b.writeUInt32LE(0x2ef, 4);
      b.writeUInt32LE(0x2ef, 8);
      b.writeUInt8(1, 18);
    }),
    run: (b) => decodeLinkModes(parseLinkInfo(b)),
  },
  {
    name: 'ethtool/driver info',
    kind: 'bytes',
    seeds: ethtoolSeeds(196, (b) => {
      b.write('veth', 4);
      b.write('1.0', 36);
      b.writeUInt32LE(3, 180);
    }),
    run: parseDriverInfo,
  },
  {
    name: 'ethtool/gstrings',
    kind: 'bytes',
    seeds: ethtoolSeeds(12 + 3 * 32, (b) => {
      b.writeUInt32LE(3, 8);
      b.write('rx_queue_0_xdp_packets', 12);
      b.write('tx_bytes', 44);
      b.write('peer_ifindex', 76);
    }),
    run: parseGstrings,
  },
  {
    name: 'ethtool/stats',
    kind: 'bytes',
    seeds: ethtoolSeeds(8 + 3 * 8, (b) => {
      b.writeUInt32LE(3, 4);
      b.writeBigUInt64LE(12345n, 8);
      b.writeBigUInt64LE(0xffffffffffffffffn, 24);
    }),
    run: parseStats,
  },
  // HTTP side: web config, NTP replies, supervisord replies
  { name: 'server/web config', kind: 'text', seeds: () => text(WEB_CONFIG, '', '# comment\n'), run: (t) => parseWebConfig(t, '/etc/web.yml'), errors: [ConfigError] },
  { name: 'ntp/reply header', kind: 'bytes', seeds: ntpSeeds, run: decodeHeader, errors: [NtpPacketError] },
  { name: 'supervisord/xml-rpc reply', kind: 'text', seeds: () => text(...XMLRPC), run: parseMethodResponse },
];
