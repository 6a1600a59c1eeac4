import { NETLINK_ROUTE } from '../native.js';
import { consistentDump } from './dump.js';
import { ParseError } from '../procfs/parse-error.js';
import { NET_STATISTICS_KEYS } from '../sysfs/net-class.js';
import { formatHardwareAddr } from './go-json.js';
import { attrString, dumpMessages, forEachAttribute, parseAttributes, type NetlinkAttribute } from './message.js';
import { RTM_GETLINK, RTM_NEWLINK } from './route.js';

/**
 * The full RTM_GETLINK dump (linux/if_link.h): every interface with the IFLA_* attributes
 * netclass's netlink mode reports. The layout rules follow the kernel; what counts as malformed
 * follows upstream's rtnetlink library (hardware addresses of 4..32 bytes, IFLA_STATS64 of at
 * least the 23 counters every kernel since 2.6.35 sends).
 */
const IFINFOMSG_LEN = 16;
const IFLA_ADDRESS = 1;
const IFLA_BROADCAST = 2;
const IFLA_IFNAME = 3;
const IFLA_MTU = 4;
const IFLA_LINK = 5;
const IFLA_TXQLEN = 13;
const IFLA_OPERSTATE = 16;
const IFLA_LINKMODE = 17;
const IFLA_IFALIAS = 20;
const IFLA_STATS64 = 23;
const IFLA_GROUP = 27;
const IFLA_CARRIER = 33;
const IFLA_CARRIER_CHANGES = 35;
const IFLA_CARRIER_UP_COUNT = 47;
const IFLA_CARRIER_DOWN_COUNT = 48;
const IFLA_PROP_LIST = 52;
const IFLA_ALT_IFNAME = 53;

/** IF_OPER_* (RFC 2863) by value, as the operstate label spells them. */
export const OPERSTATES: readonly string[] = ['unknown', 'notpresent', 'down', 'lowerlayerdown', 'testing', 'dormant', 'up'];

/**
 * rtnl_link_stats64 in kernel order: the counters sysfs also has, one file each and in the same
 * order, then rx_otherhost_dropped, which only netlink carries. The struct only ever grows at its
 * end, so a short one (before rx_nohandler, 4.6, or rx_otherhost_dropped, 5.19) simply lacks the
 * later counters.
 */
export const STATS64_FIELDS: readonly string[] = [...NET_STATISTICS_KEYS.keys(), 'rx_otherhost_dropped'];
const STATS64_MIN_LEN = 23 * 8;

/** One interface of the dump. Optional fields are attributes the kernel may leave out. */
export interface RtnlLink {
  /** ifinfomsg: interface index, ARPHRD_* type, IFF_* flags. */
  index: number;
  type: number;
  flags: number;
  name: string;
  /** Lower-case hex pairs joined by ':'; '' when the device has none. */
  address: string;
  broadcast: string;
  alias?: string;
  altNames: string[];
  mtu: number;
  /** IFLA_LINK: the lower device's index; 0 when the kernel left it out (its own index). */
  link: number;
  txQueueLen?: number;
  /** IF_OPER_* value, 0..6 (index into OPERSTATES); 0 when absent. */
  operstate: number;
  linkMode?: number;
  carrier?: number;
  carrierChanges?: number;
  carrierUpCount?: number;
  carrierDownCount?: number;
  group?: number;
  /** Counter name (STATS64_FIELDS) → value; u64 counters above 2^53 lose precision, as float64 does. */
  stats64?: ReadonlyMap<string, number>;
}

function uint(a: NetlinkAttribute, size: 1 | 4, what: string, name: string): number {
  if (a.data.length !== size) throw new ParseError(`link ${name}: ${what} is ${a.data.length} bytes, want ${size}`);
  return size === 1 ? a.data.readUInt8(0) : a.data.readUInt32LE(0);
}

function hardwareAddr(a: NetlinkAttribute, what: string, name: string): string {
  if (a.data.length < 4 || a.data.length > 32) throw new ParseError(`link ${name}: ${what} is ${a.data.length} bytes, want 4 to 32`);
  return formatHardwareAddr(a.data);
}

function stats64(data: Buffer, name: string): Map<string, number> {
  if (data.length < STATS64_MIN_LEN || data.length % 8 !== 0) {
    throw new ParseError(`link ${name}: IFLA_STATS64 is ${data.length} bytes, want a multiple of 8 of at least ${STATS64_MIN_LEN}`);
  }
  const out = new Map<string, number>();
  STATS64_FIELDS.forEach((field, n) => {
    if ((n + 1) * 8 <= data.length) out.set(field, Number(data.readBigUInt64LE(n * 8)));
  });
  return out;
}

const LINK_ATTRIBUTES_READ: ReadonlySet<number> = new Set([
  IFLA_IFNAME,
  IFLA_ADDRESS,
  IFLA_BROADCAST,
  IFLA_MTU,
  IFLA_LINK,
  IFLA_TXQLEN,
  IFLA_OPERSTATE,
  IFLA_LINKMODE,
  IFLA_IFALIAS,
  IFLA_STATS64,
  IFLA_GROUP,
  IFLA_CARRIER,
  IFLA_CARRIER_CHANGES,
  IFLA_CARRIER_UP_COUNT,
  IFLA_CARRIER_DOWN_COUNT,
  IFLA_PROP_LIST,
]);

/** One RTM_NEWLINK message's payload (ifinfomsg + attributes) → a link record. */
export function parseLinkMessage(data: Buffer): RtnlLink {
  if (data.length < IFINFOMSG_LEN) throw new ParseError(`link: ${data.length}-byte message, want ${IFINFOMSG_LEN} or more`);
  const body = data.subarray(IFINFOMSG_LEN);
  // Only the attributes read below become objects (a link message has about fifty).
  const attrs: NetlinkAttribute[] = [];
  forEachAttribute(body, (type, start, end) => {
    if (LINK_ATTRIBUTES_READ.has(type)) attrs.push({ type, data: body.subarray(start, end) });
  });
  const index = data.readUInt32LE(4);
  const nameAttr = attrs.find((a) => a.type === IFLA_IFNAME);
  if (nameAttr === undefined) throw new ParseError(`link ${index}: no IFLA_IFNAME`);
  const name = attrString(nameAttr.data);
  const link: RtnlLink = {
    index,
    type: data.readUInt16LE(2),
    flags: data.readUInt32LE(8),
    name,
    address: '',
    broadcast: '',
    altNames: [],
    mtu: 0,
    link: 0,
    operstate: 0,
  };
  for (const a of attrs) {
    switch (a.type) {
      case IFLA_ADDRESS:
        link.address = hardwareAddr(a, 'IFLA_ADDRESS', name);
        break;
      case IFLA_BROADCAST:
        link.broadcast = hardwareAddr(a, 'IFLA_BROADCAST', name);
        break;
      case IFLA_MTU:
        link.mtu = uint(a, 4, 'IFLA_MTU', name);
        break;
      case IFLA_LINK:
        link.link = uint(a, 4, 'IFLA_LINK', name);
        break;
      case IFLA_TXQLEN:
        link.txQueueLen = uint(a, 4, 'IFLA_TXQLEN', name);
        break;
      case IFLA_OPERSTATE: {
        const state = uint(a, 1, 'IFLA_OPERSTATE', name);
        if (state >= OPERSTATES.length) throw new ParseError(`link ${name}: unknown IFLA_OPERSTATE ${state}`);
        link.operstate = state;
        break;
      }
      case IFLA_LINKMODE:
        link.linkMode = uint(a, 1, 'IFLA_LINKMODE', name);
        break;
      case IFLA_IFALIAS:
        link.alias = attrString(a.data);
        break;
      case IFLA_STATS64:
        link.stats64 = stats64(a.data, name);
        break;
      case IFLA_GROUP:
        link.group = uint(a, 4, 'IFLA_GROUP', name);
        break;
      case IFLA_CARRIER:
        link.carrier = uint(a, 1, 'IFLA_CARRIER', name);
        break;
      case IFLA_CARRIER_CHANGES:
        link.carrierChanges = uint(a, 4, 'IFLA_CARRIER_CHANGES', name);
        break;
      case IFLA_CARRIER_UP_COUNT:
        link.carrierUpCount = uint(a, 4, 'IFLA_CARRIER_UP_COUNT', name);
        break;
      case IFLA_CARRIER_DOWN_COUNT:
        link.carrierDownCount = uint(a, 4, 'IFLA_CARRIER_DOWN_COUNT', name);
        break;
      case IFLA_PROP_LIST:
        for (const p of parseAttributes(a.data)) if (p.type === IFLA_ALT_IFNAME) link.altNames.push(attrString(p.data));
        break;
      default:
    }
  }
  return link;
}

/** A whole RTM_GETLINK dump's reply datagrams → its links, in the kernel's order. */
export function parseLinkDetailsDump(datagrams: readonly Buffer[]): RtnlLink[] {
  return dumpMessages(datagrams)
    .filter((m) => m.type === RTM_NEWLINK)
    .map((m) => parseLinkMessage(m.data));
}

/** Every interface of the exporter's own network namespace, with its attributes and counters. */
export async function dumpLinkDetails(): Promise<RtnlLink[]> {
  return parseLinkDetailsDump(await consistentDump(NETLINK_ROUTE, RTM_GETLINK, 0, Buffer.alloc(IFINFOMSG_LEN)));
}
