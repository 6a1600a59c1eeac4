import { readdir } from '../procfs/dir.js';
import { booleanOption, family, NoDataError, type CollectorDefinition, type MetricFamily, type MetricType } from '../collector.js';
import { compileRegexp } from '../config.js';
import type { Paths } from '../paths.js';
import { ParseError } from '../procfs/parse-error.js';
import { hasErrno, readProcFiles } from '../procfs/read.js';
import { isNetClassAttribute, isSkippableAttributeError, parseNetClassIface, type NetClassIface } from '../sysfs/net-class.js';
import { createNetClassNetlink } from './netclass-netlink.js';

const N = 'collector.netclass';

/** Reads the interface names under class/net; bonding_masters and other plain files are not interfaces. */
export async function netClassDevices(paths: Paths): Promise<string[]> {
  const entries = await readdir(paths.sysFilePath('class/net'), { withFileTypes: true });
  return entries.filter((e) => !e.isFile()).map((e) => e.name).sort();
}

/** One interface's attributes; undefined when the interface went away while we looked. */
export async function readNetClassIface(paths: Paths, device: string): Promise<NetClassIface | undefined> {
  const dir = paths.sysFilePath(`class/net/${device}`);
  let files: string[];
  try {
    files = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && isNetClassAttribute(e.name)).map((e) => e.name);
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
  const attributes = new Map<string, string>();
  const texts = await readProcFiles(files.map((file) => paths.sysFilePath(`class/net/${device}/${file}`)));
  texts.forEach((text, n) => {
    if (typeof text === 'string') attributes.set(files[n] ?? '', text);
    else if (!isSkippableAttributeError(text)) throw text;
  });
  try {
    return parseNetClassIface(device, attributes);
  } catch (err) {
    throw err instanceof ParseError ? err.withFile(dir) : err;
  }
}

/** node_network_<name>{device}: one gauge or counter per numeric attribute, as upstream names them. */
const NUMERIC: readonly [string, keyof NetClassIface, MetricType, string][] = [
  ['address_assign_type', 'addrAssignType', 'gauge', 'How the hardware address was assigned (addr_assign_type).'],
  ['carrier', 'carrier', 'gauge', '1 when the link has carrier.'],
  ['carrier_changes_total', 'carrierChanges', 'counter', 'Carrier state changes.'],
  ['carrier_up_changes_total', 'carrierUpCount', 'counter', 'Carrier changes to up.'],
  ['carrier_down_changes_total', 'carrierDownCount', 'counter', 'Carrier changes to down.'],
  ['device_id', 'devId', 'gauge', 'Device id (dev_id), telling apart devices sharing a hardware address.'],
  ['dormant', 'dormant', 'gauge', '1 when the interface is dormant.'],
  ['flags', 'flags', 'gauge', 'Interface flags (IFF_*), as a number.'],
  ['iface_id', 'ifindex', 'gauge', 'Interface index.'],
  ['iface_link', 'iflink', 'gauge', 'Index of the interface this one is linked to (its own index if none).'],
  ['iface_link_mode', 'linkMode', 'gauge', 'Link mode (link_mode).'],
  ['mtu_bytes', 'mtu', 'gauge', 'MTU in bytes.'],
  ['name_assign_type', 'nameAssignType', 'gauge', 'How the interface name was assigned (name_assign_type).'],
  ['net_dev_group', 'netdevGroup', 'gauge', 'Network device group.'],
];

export const netclass: CollectorDefinition = {
  name: 'netclass',
  defaultEnabled: true,
  options: [
    { flag: `${N}.ignored-devices`, help: 'Regexp of interface names the netclass collector skips.', defaultValue: '^$' },
    { flag: `${N}.ignore-invalid-speed`, help: 'Leave out node_network_speed_bytes for interfaces whose speed the kernel does not know (-1).', boolean: true },
    { flag: `${N}.netlink`, help: 'Ask the kernel over netlink (rtnetlink, ethtool) rather than reading sysfs (default: false).', boolean: true },
    { flag: 'collector.netclass_rtnl.with-stats', help: 'With --collector.netclass.netlink, also report each interface\'s IFLA_STATS64 counters.', boolean: true },
  ],
  create({ paths, options, logger }) {
    const ignoredText = options.get(`${N}.ignored-devices`);
    const ignored = compileRegexp(typeof ignoredText === 'string' ? ignoredText : '^$', `${N}.ignored-devices`);
    const ignoreInvalidSpeed = booleanOption(options, `${N}.ignore-invalid-speed`, false);
    if (booleanOption(options, `${N}.netlink`, false)) {
      const withStats = booleanOption(options, 'collector.netclass_rtnl.with-stats', false);
      return { collect: createNetClassNetlink({ ignored, withStats, logger }) };
    }
    return {
      async collect(): Promise<MetricFamily[]> {
        let devices: string[];
        try {
          devices = await netClassDevices(paths);
        } catch (err) {
          if (hasErrno(err, 'ENOENT', 'EACCES', 'EPERM')) throw new NoDataError(`cannot read ${paths.sysFilePath('class/net')}: ${String(err)}`);
          throw err;
        }
        const ifaces = await Promise.all(devices.filter((d) => !ignored.test(d)).map((d) => readNetClassIface(paths, d)));
        return emit(ifaces.filter((i): i is NetClassIface => i !== undefined), ignoreInvalidSpeed);
      },
    };
  },
};

function emit(ifaces: readonly NetClassIface[], ignoreInvalidSpeed: boolean): MetricFamily[] {
  const up = family('node_network_up', '1 when the operational state is "up", else 0.', 'gauge');
  const info = family('node_network_info', 'Interface properties from /sys/class/net as labels; always 1.', 'gauge');
  const numeric = NUMERIC.map(([name, , type, help]) => family(`node_network_${name}`, help, type));
  const speed = family('node_network_speed_bytes', 'Link speed in bytes per second.', 'gauge');
  const txqlen = family('node_network_transmit_queue_length', 'Transmit queue length (tx_queue_len).', 'gauge');
  const protocol = family('node_network_protocol_type', 'Hardware type of the interface (ARPHRD_*).', 'gauge');
  for (const i of ifaces) {
    const device = i.name;
    up.samples.push({ labels: { device }, value: i.operstate === 'up' ? 1 : 0 });
    const adminstate = i.flags === undefined ? 'unknown' : (i.flags & 1) === 1 ? 'up' : 'down';
    info.samples.push({
      labels: { device, address: i.address, broadcast: i.broadcast, duplex: i.duplex, operstate: i.operstate, adminstate, ifalias: i.ifalias },
      value: 1,
    });
    NUMERIC.forEach(([, key], n) => {
      const v = i[key];
      if (typeof v === 'number') numeric[n]?.samples.push({ labels: { device }, value: v });
    });
    // The kernel reports -1 when it does not know the speed; upstream still converts it unless told not to.
    if (i.speed !== undefined && (i.speed >= 0 || !ignoreInvalidSpeed)) {
      speed.samples.push({ labels: { device }, value: Math.trunc((i.speed * 1000 * 1000) / 8) });
    }
    if (i.txQueueLen !== undefined) txqlen.samples.push({ labels: { device }, value: i.txQueueLen });
    if (i.type !== undefined) protocol.samples.push({ labels: { device }, value: i.type });
  }
  return [up, info, ...numeric, speed, txqlen, protocol];
}
