import { NETLINK_ROUTE } from '../native.js';
import { consistentDump } from './dump.js';
import { ParseError } from '../procfs/parse-error.js';
import { attrUint, dumpMessages, parseAttributes } from './message.js';

/** rtnetlink routes (linux/rtnetlink.h): RTM_GETROUTE dump → one record per route. */
export const RTM_NEWROUTE = 24;
export const RTM_GETROUTE = 26;
/** rtm_type of an ordinary route (the only kind node_exporter reports). */
export const RTN_UNICAST = 1;

const RTMSG_LEN = 12;
const RTA_DST = 1;
const RTA_OIF = 4;
const RTA_GATEWAY = 5;
const RTA_PRIORITY = 6;
const RTA_PREFSRC = 7;
const RTA_MULTIPATH = 9;
const RTNEXTHOP_LEN = 8;

export interface NextHop {
  ifindex: number;
  /** rtnh_hops: the weight minus one. */
  hops: number;
  gateway?: Buffer;
}

export interface Route {
  family: number;
  dstLength: number;
  protocol: number;
  type: number;
  table: number;
  dst?: Buffer;
  prefsrc?: Buffer;
  gateway?: Buffer;
  /** 0 when the route names no output interface (multipath routes name theirs per hop). */
  oif: number;
  priority: number;
  multipath: NextHop[];
}

function parseNextHops(data: Buffer): NextHop[] {
  const hops: NextHop[] = [];
  let at = 0;
  while (at + RTNEXTHOP_LEN <= data.length) {
    const len = data.readUInt16LE(at);
    if (len < RTNEXTHOP_LEN || at + len > data.length) throw new ParseError(`RTA_MULTIPATH: next hop at byte ${at} has length ${len}`);
    const hop: NextHop = { hops: data.readUInt8(at + 3), ifindex: data.readInt32LE(at + 4) };
    for (const a of parseAttributes(data.subarray(at + RTNEXTHOP_LEN, at + len))) if (a.type === RTA_GATEWAY) hop.gateway = a.data;
    hops.push(hop);
    at += (len + 3) & ~3;
  }
  return hops;
}

/** RTM_NEWROUTE replies → routes of every family and table, in dump order. */
export function parseRouteDump(datagrams: readonly Buffer[]): Route[] {
  const out: Route[] = [];
  for (const m of dumpMessages(datagrams)) {
    if (m.type !== RTM_NEWROUTE) continue;
    if (m.data.length < RTMSG_LEN) throw new ParseError(`route: ${m.data.length}-byte message, want ${RTMSG_LEN} or more`);
    const r: Route = {
      family: m.data.readUInt8(0),
      dstLength: m.data.readUInt8(1),
      table: m.data.readUInt8(4),
      protocol: m.data.readUInt8(5),
      type: m.data.readUInt8(7),
      oif: 0,
      priority: 0,
      multipath: [],
    };
    for (const a of parseAttributes(m.data.subarray(RTMSG_LEN))) {
      switch (a.type) {
        case RTA_DST:
          r.dst = a.data;
          break;
        case RTA_PREFSRC:
          r.prefsrc = a.data;
          break;
        case RTA_GATEWAY:
          r.gateway = a.data;
          break;
        case RTA_OIF:
          r.oif = attrUint(a.data, 'RTA_OIF');
          break;
        case RTA_PRIORITY:
          r.priority = attrUint(a.data, 'RTA_PRIORITY');
          break;
        case RTA_MULTIPATH:
          r.multipath = parseNextHops(a.data);
          break;
      }
    }
    out.push(r);
  }
  return out;
}

/** Every route of every table and family in the exporter's network namespace. */
export async function dumpRoutes(): Promise<Route[]> {
  // An all-zero rtmsg: AF_UNSPEC, so IPv4 and IPv6 alike.
  return parseRouteDump(await consistentDump(NETLINK_ROUTE, RTM_GETROUTE, 0, Buffer.alloc(RTMSG_LEN)));
}
