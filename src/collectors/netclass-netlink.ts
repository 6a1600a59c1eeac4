import { family, type MetricFamily, type MetricType } from '../collector.js';
import type { Logger } from '../logger.js';
import { SyscallError } from '../native.js';
import type { GenlFamily } from '../netlink/genl.js';
import { dumpLinkModes, duplexName, resolveEthtoolFamily, type LinkModes } from '../netlink/ethtool-linkmodes.js';
import { dumpLinkDetails, OPERSTATES, type RtnlLink } from '../netlink/link.js';
import { Paths } from '../paths.js';
import { parseGoInt } from '../procfs/go-number.js';
import { readProcFiles } from '../procfs/read.js';
import { isSkippableAttributeError, NET_STATISTICS_KEYS } from '../sysfs/net-class.js';

/**
 * --collector.netclass.netlink: interfaces from one RTM_GETLINK dump, speed and duplex from the
 * ethtool netlink family, and the three attributes netlink lacks from sysfs. Like upstream it
 * asks the exporter's own network namespace and reads those attributes under the real /sys,
 * whatever --path.sysfs says.
 */
export interface NetClassNetlinkOptions {
  ignored: RegExp;
  withStats: boolean;
  logger: Logger;
  /** Where this namespace's /sys shows (tests point it at fixtures). */
  ownNamespace?: Paths;
  /** The kernel calls, replaceable by tests. */
  dumpLinks?: () => Promise<RtnlLink[]>;
  resolveEthtool?: () => Promise<GenlFamily | undefined>;
  dumpLinkModes?: (f: GenlFamily) => Promise<LinkModes[]>;
}

const SYSFS_ONLY = ['addr_assign_type', 'dev_id', 'name_assign_type'] as const;
type SysfsOnly = Map<(typeof SYSFS_ONLY)[number], number>;

/** Reads addr_assign_type, dev_id and name_assign_type of each link in one batch; unreadable or unparsable ones stay unset, as upstream's. */
async function sysfsOnlyAttributes(sys: Paths, links: readonly RtnlLink[]): Promise<Map<string, SysfsOnly>> {
  const wanted = links.flatMap((l) => SYSFS_ONLY.map((attr) => ({ name: l.name, attr, path: sys.sysFilePath(`class/net/${l.name}/${attr}`) })));
  const texts = await readProcFiles(wanted.map((w) => w.path));
  const out = new Map<string, SysfsOnly>(links.map((l) => [l.name, new Map()]));
  wanted.forEach(({ name, attr }, n) => {
    const text = texts[n];
    if (text === undefined) throw new Error(`read ${wanted[n]?.path ?? ''}: no result`);
    if (typeof text !== 'string') {
      if (isSkippableAttributeError(text)) return;
      throw text;
    }
    const value = parseGoInt(text.trim());
    if (value !== undefined) out.get(name)?.set(attr, value);
  });
  return out;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** A dump that failed because the family or its data is not there (upstream: fs.ErrNotExist). */
const isNotExist = (err: unknown) => err instanceof SyscallError && err.code === 'ENOENT';

type Field = [name: string, type: MetricType, help: string, value: (l: RtnlLink, s: SysfsOnly | undefined) => number | undefined];

/** node_network_<name>{device}, in upstream's netlink order; dormant is the link mode there too (upstream reads the same attribute). */
const FIELDS: readonly Field[] = [
  ['address_assign_type', 'gauge', 'How the hardware address was assigned (sysfs addr_assign_type).', (_, s) => s?.get('addr_assign_type')],
  ['carrier', 'gauge', '1 when the link has carrier (IFLA_CARRIER).', (l) => l.carrier],
  ['carrier_changes_total', 'counter', 'Carrier state changes.', (l) => l.carrierChanges],
  ['carrier_up_changes_total', 'counter', 'Carrier changes to up.', (l) => l.carrierUpCount],
  ['carrier_down_changes_total', 'counter', 'Carrier changes to down.', (l) => l.carrierDownCount],
  ['device_id', 'gauge', 'Device id (sysfs dev_id), telling apart devices sharing a hardware address.', (_, s) => s?.get('dev_id')],
  ['flags', 'gauge', 'Interface flags (IFF_*), as a number.', (l) => l.flags],
  ['iface_id', 'gauge', 'Interface index.', (l) => l.index],
  ['iface_link_mode', 'gauge', 'Link mode (IFLA_LINKMODE).', (l) => l.linkMode],
  ['dormant', 'gauge', 'Link mode (IFLA_LINKMODE), as upstream reports it in netlink mode.', (l) => l.linkMode],
  ['iface_link', 'gauge', 'Index of the interface this one is linked to (its own index if none).', (l) => (l.link > 0 ? l.link : l.index)],
  ['mtu_bytes', 'gauge', 'MTU in bytes.', (l) => l.mtu],
  ['name_assign_type', 'gauge', 'How the interface name was assigned (sysfs name_assign_type).', (_, s) => s?.get('name_assign_type')],
  ['net_dev_group', 'gauge', 'Network device group.', (l) => l.group],
  ['transmit_queue_length', 'gauge', 'Transmit queue length.', (l) => l.txQueueLen],
  ['protocol_type', 'gauge', 'Hardware type of the interface (ARPHRD_*).', (l) => l.type],
];

/** IFLA_STATS64 counters upstream reports with --collector.netclass_rtnl.with-stats (as gauges, like upstream). */
const STATS = [...NET_STATISTICS_KEYS].map(([field, key]) => [field, `${key}_total`] as const);

export function createNetClassNetlink(opts: NetClassNetlinkOptions): () => Promise<MetricFamily[]> {
  const sys = opts.ownNamespace ?? new Paths();
  const dumpLinks = opts.dumpLinks ?? dumpLinkDetails;
  const resolveEthtool = opts.resolveEthtool ?? resolveEthtoolFamily;
  const linkModes = opts.dumpLinkModes ?? dumpLinkModes;
  let toldUnavailable = false;

  /** Every device's link modes, or undefined when this kernel has no ethtool netlink family. */
  async function modes(): Promise<LinkModes[] | undefined> {
    try {
      const f = await resolveEthtool();
      if (f !== undefined) return await linkModes(f);
    } catch (err) {
      if (!isNotExist(err)) throw new Error(`netclass: could not get link modes: ${messageOf(err)}`, { cause: err });
    }
    if (!toldUnavailable) opts.logger.info('ETHTOOL netlink interface unavailable, duplex and linkspeed are not scraped.');
    toldUnavailable = true;
    return undefined;
  }

  return async () => {
    const speed = family('node_network_speed_bytes', 'Link speed in bytes per second (ethtool netlink).', 'gauge');
    const byName = new Map<string, LinkModes>();
    for (const lm of (await modes()) ?? []) {
      if (opts.ignored.test(lm.name)) continue;
      // Upstream's "speed >= 0" test never holds back anything: the u32 SPEED_UNKNOWN is positive there too.
      speed.samples.push({ labels: { device: lm.name }, value: Math.trunc((lm.speedMegabits * 1000 * 1000) / 8) });
      byName.set(lm.name, lm);
    }
    let links: RtnlLink[];
    try {
      links = (await dumpLinks()).filter((l) => !opts.ignored.test(l.name));
    } catch (err) {
      throw new Error(`netclass: could not get net class info: ${messageOf(err)}`, { cause: err });
    }
    const sysfs = await sysfsOnlyAttributes(sys, links);

    const up = family('node_network_up', '1 when the operational state is "up", else 0.', 'gauge');
    const info = family('node_network_info', 'Interface properties from netlink as labels; always 1.', 'gauge');
    const altnames = family('node_network_altnames_info', 'An alternative name of the interface, as a label; always 1.', 'gauge');
    const fields = FIELDS.map(([name, type, help]) => family(`node_network_${name}`, help, type));
    const stats = STATS.map(([field, name]) => family(`node_network_${name}`, `Interface counter ${field} (IFLA_STATS64).`, 'gauge'));
    for (const l of links) {
      const device = l.name;
      up.samples.push({ labels: { device }, value: l.operstate === 6 ? 1 : 0 });
      const lm = byName.get(device);
      info.samples.push({
        labels: { device, address: l.address, broadcast: l.broadcast, duplex: lm === undefined ? '' : duplexName(lm.duplex), operstate: OPERSTATES[l.operstate] ?? 'unknown', ifalias: l.alias ?? '' },
        value: 1,
      });
      for (const altname of l.altNames) if (altname !== '') altnames.samples.push({ labels: { altname, device }, value: 1 });
      const s = sysfs.get(device);
      FIELDS.forEach(([, , , get], n) => {
        const v = get(l, s);
        if (v !== undefined) fields[n]?.samples.push({ labels: { device }, value: v });
      });
      if (opts.withStats && l.stats64 !== undefined) {
        const counters = l.stats64;
        // A kernel too old for rx_nohandler: upstream's struct leaves it 0 and still reports it.
        STATS.forEach(([field], n) => stats[n]?.samples.push({ labels: { device }, value: counters.get(field) ?? 0 }));
      }
    }
    return [speed, up, info, altnames, ...fields, ...(opts.withStats ? stats : [])];
  };
}
