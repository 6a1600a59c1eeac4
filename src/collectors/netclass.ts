import { booleanOption, type CollectorDefinition, type Desc, newDesc, NoDataError, type Sink } from '../collector.js';
import { compileRegexp } from '../config.js';
import { duplexName, type LinkModes } from '../netlink/ethtool-linkmodes.js';
import { OPERSTATES, type RtnlLink } from '../netlink/link.js';
import { netClassDevices, readNetClassIface } from '../read/net-class.js';
import { netClassNetlinkReader, type NetClassNetlinkSources, type NetClassNetlinkView, type SysfsOnly } from '../read/net-class-netlink.js';
import { NET_STATISTICS_KEYS, type NetClassIface } from '../sysfs/net-class.js';
import { hasErrno } from '../errno.js';

const N = 'collector.netclass';
const DEVICE = ['device'];

// Descs both modes emit alike.
const up = newDesc('node_network_up', '1 when the operational state is "up", else 0.', 'gauge', DEVICE);
const carrierChanges = newDesc('node_network_carrier_changes_total', 'Carrier state changes.', 'counter', DEVICE);
const carrierUps = newDesc('node_network_carrier_up_changes_total', 'Carrier changes to up.', 'counter', DEVICE);
const carrierDowns = newDesc('node_network_carrier_down_changes_total', 'Carrier changes to down.', 'counter', DEVICE);
const flags = newDesc('node_network_flags', 'Interface flags (IFF_*), as a number.', 'gauge', DEVICE);
const ifaceId = newDesc('node_network_iface_id', 'Interface index.', 'gauge', DEVICE);
const ifaceLink = newDesc('node_network_iface_link', 'Index of the interface this one is linked to (its own index if none).', 'gauge', DEVICE);
const mtu = newDesc('node_network_mtu_bytes', 'MTU in bytes.', 'gauge', DEVICE);
const netDevGroup = newDesc('node_network_net_dev_group', 'Network device group.', 'gauge', DEVICE);
const protocolType = newDesc('node_network_protocol_type', 'Hardware type of the interface (ARPHRD_*).', 'gauge', DEVICE);

// sysfs mode (the default): what class/net/<device>/ says.
const sysfsInfo = newDesc('node_network_info', 'Interface properties from /sys/class/net as labels; always 1.', 'gauge', [
  'device',
  'address',
  'broadcast',
  'duplex',
  'operstate',
  'adminstate',
  'ifalias',
]);
const sysfsSpeed = newDesc('node_network_speed_bytes', 'Link speed in bytes per second.', 'gauge', DEVICE);
const SYSFS_FIELDS: readonly [Desc, (i: NetClassIface) => number | undefined][] = [
  [newDesc('node_network_address_assign_type', 'How the hardware address was assigned (addr_assign_type).', 'gauge', DEVICE), (i) => i.addrAssignType],
  [newDesc('node_network_carrier', '1 when the link has carrier.', 'gauge', DEVICE), (i) => i.carrier],
  [carrierChanges, (i) => i.carrierChanges],
  [carrierUps, (i) => i.carrierUpCount],
  [carrierDowns, (i) => i.carrierDownCount],
  [newDesc('node_network_device_id', 'Device id (dev_id), telling apart devices sharing a hardware address.', 'gauge', DEVICE), (i) => i.devId],
  [newDesc('node_network_dormant', '1 when the interface is dormant.', 'gauge', DEVICE), (i) => i.dormant],
  [flags, (i) => i.flags],
  [ifaceId, (i) => i.ifindex],
  [ifaceLink, (i) => i.iflink],
  [newDesc('node_network_iface_link_mode', 'Link mode (link_mode).', 'gauge', DEVICE), (i) => i.linkMode],
  [mtu, (i) => i.mtu],
  [newDesc('node_network_name_assign_type', 'How the interface name was assigned (name_assign_type).', 'gauge', DEVICE), (i) => i.nameAssignType],
  [netDevGroup, (i) => i.netdevGroup],
  [newDesc('node_network_transmit_queue_length', 'Transmit queue length (tx_queue_len).', 'gauge', DEVICE), (i) => i.txQueueLen],
  [protocolType, (i) => i.type],
];

// netlink mode: RTM_GETLINK, ethtool netlink, three attributes from the real /sys.
const netlinkInfo = newDesc('node_network_info', 'Interface properties from netlink as labels; always 1.', 'gauge', [
  'device',
  'address',
  'broadcast',
  'duplex',
  'operstate',
  'ifalias',
]);
const netlinkSpeed = newDesc('node_network_speed_bytes', 'Link speed in bytes per second (ethtool netlink).', 'gauge', DEVICE);
const altnames = newDesc('node_network_altnames_info', 'An alternative name of the interface, as a label; always 1.', 'gauge', ['altname', 'device']);
/** dormant is the link mode there too: upstream reads the same attribute for both. */
const NETLINK_FIELDS: readonly [Desc, (l: RtnlLink, s: SysfsOnly | undefined) => number | undefined][] = [
  [newDesc('node_network_address_assign_type', 'How the hardware address was assigned (sysfs addr_assign_type).', 'gauge', DEVICE), (_, s) => s?.get('addr_assign_type')],
  [newDesc('node_network_carrier', '1 when the link has carrier (IFLA_CARRIER).', 'gauge', DEVICE), (l) => l.carrier],
  [carrierChanges, (l) => l.carrierChanges],
  [carrierUps, (l) => l.carrierUpCount],
  [carrierDowns, (l) => l.carrierDownCount],
  [newDesc('node_network_device_id', 'Device id (sysfs dev_id), telling apart devices sharing a hardware address.', 'gauge', DEVICE), (_, s) => s?.get('dev_id')],
  [flags, (l) => l.flags],
  [ifaceId, (l) => l.index],
  [newDesc('node_network_iface_link_mode', 'Link mode (IFLA_LINKMODE).', 'gauge', DEVICE), (l) => l.linkMode],
  [newDesc('node_network_dormant', 'Link mode (IFLA_LINKMODE), as upstream reports it in netlink mode.', 'gauge', DEVICE), (l) => l.linkMode],
  [ifaceLink, (l) => (l.link > 0 ? l.link : l.index)],
  [mtu, (l) => l.mtu],
  [newDesc('node_network_name_assign_type', 'How the interface name was assigned (sysfs name_assign_type).', 'gauge', DEVICE), (_, s) => s?.get('name_assign_type')],
  [netDevGroup, (l) => l.group],
  [newDesc('node_network_transmit_queue_length', 'Transmit queue length.', 'gauge', DEVICE), (l) => l.txQueueLen],
  [protocolType, (l) => l.type],
];
/** IFLA_STATS64 counters upstream reports with --collector.netclass_rtnl.with-stats (as gauges, like upstream). */
const STATS64: readonly [Desc, (counters: ReadonlyMap<string, number>) => number][] = [...NET_STATISTICS_KEYS].map(([field, key]) => [
  newDesc(`node_network_${key}_total`, `Interface counter ${field} (IFLA_STATS64).`, 'gauge', DEVICE),
  // A kernel too old for rx_nohandler: upstream's struct leaves it 0 and still reports it.
  (counters) => counters.get(field) ?? 0,
]);

export interface NetclassOptions {
  /** Where the netlink mode reads (tests replace the kernel calls). */
  netlink?: NetClassNetlinkSources;
}

export function netclassDefinition(opts: NetclassOptions = {}): CollectorDefinition {
  return {
    name: 'netclass',
    defaultEnabled: true,
    options: [
      { flag: `${N}.ignored-devices`, help: 'Regexp of interface names the netclass collector skips.', defaultValue: '^$' },
      { flag: `${N}.ignore-invalid-speed`, help: 'Leave out node_network_speed_bytes for interfaces whose speed the kernel does not know (-1).', boolean: true },
      { flag: `${N}.netlink`, help: 'Ask the kernel over netlink (rtnetlink, ethtool) rather than reading sysfs (default: false).', boolean: true },
      { flag: 'collector.netclass_rtnl.with-stats', help: "With --collector.netclass.netlink, also report each interface's IFLA_STATS64 counters.", boolean: true },
    ],
    create({ paths, options, logger }) {
      const ignoredText = options.get(`${N}.ignored-devices`);
      const ignored = compileRegexp(typeof ignoredText === 'string' ? ignoredText : '^$', `${N}.ignored-devices`);
      const ignoreInvalidSpeed = booleanOption(options, `${N}.ignore-invalid-speed`, false);
      if (booleanOption(options, `${N}.netlink`, false)) {
        const withStats = booleanOption(options, 'collector.netclass_rtnl.with-stats', false);
        const read = netClassNetlinkReader(logger, opts.netlink);
        return {
          async collect(_ctx, out) {
            addNetlinkView(out, await read(ignored), withStats);
          },
        };
      }
      return {
        async collect(_ctx, out) {
          let devices: string[];
          try {
            devices = await netClassDevices(paths);
          } catch (err) {
            if (hasErrno(err, 'ENOENT', 'EACCES', 'EPERM')) throw new NoDataError(`cannot read ${paths.sysFilePath('class/net')}: ${String(err)}`);
            throw err;
          }
          const ifaces = await Promise.all(devices.filter((d) => !ignored.test(d)).map((d) => readNetClassIface(paths, d)));
          for (const i of ifaces) if (i !== undefined) addIface(out, i, ignoreInvalidSpeed);
        },
      };
    },
  };
}

export const netclass = netclassDefinition();

function addIface(out: Sink, i: NetClassIface, ignoreInvalidSpeed: boolean): void {
  const device = i.name;
  out.add(up, i.operstate === 'up' ? 1 : 0, device);
  const adminstate = i.flags === undefined ? 'unknown' : (i.flags & 1) === 1 ? 'up' : 'down';
  out.addv(sysfsInfo, 1, [device, i.address, i.broadcast, i.duplex, i.operstate, adminstate, i.ifalias]);
  for (let k = 0; k < SYSFS_FIELDS.length; k++) {
    const field = SYSFS_FIELDS[k] as (typeof SYSFS_FIELDS)[number];
    const v = field[1](i);
    if (v !== undefined) out.add(field[0], v, device);
  }
  // The kernel reports -1 when it does not know the speed; upstream still converts it unless told not to.
  if (i.speed !== undefined && (i.speed >= 0 || !ignoreInvalidSpeed)) out.add(sysfsSpeed, Math.trunc((i.speed * 1000 * 1000) / 8), device);
}

function addNetlinkView(out: Sink, view: NetClassNetlinkView, withStats: boolean): void {
  const modes = new Map<string, LinkModes>();
  for (const lm of view.modes) {
    // Upstream's "speed >= 0" test never holds back anything: the u32 SPEED_UNKNOWN is positive there too.
    out.add(netlinkSpeed, Math.trunc((lm.speedMegabits * 1000 * 1000) / 8), lm.name);
    modes.set(lm.name, lm);
  }
  for (const l of view.links) {
    const device = l.name;
    out.add(up, l.operstate === 6 ? 1 : 0, device);
    const lm = modes.get(device);
    out.addv(netlinkInfo, 1, [device, l.address, l.broadcast, lm === undefined ? '' : duplexName(lm.duplex), OPERSTATES[l.operstate] ?? 'unknown', l.alias ?? '']);
    for (const altname of l.altNames) if (altname !== '') out.add(altnames, 1, altname, device);
    const s = view.sysfsOnly.get(device);
    for (const [desc, get] of NETLINK_FIELDS) {
      const v = get(l, s);
      if (v !== undefined) out.add(desc, v, device);
    }
    const counters = l.stats64;
    if (withStats && counters !== undefined) for (const [desc, get] of STATS64) out.add(desc, get(counters), device);
  }
}
