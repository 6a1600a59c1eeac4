import { NETLINK_ROUTE } from '../native.js';
import { consistentDump } from './dump.js';
import { ParseError } from '../procfs/parse-error.js';
import { attrString, attrUint, dumpMessages, forEachAttribute, parseAttributes, type NetlinkMessage } from './message.js';
import type { QdiscInfo } from './qdisc.js';

/**
 * rtnetlink (linux/rtnetlink.h): the request and reply layouts of the dumps the collectors
 * use. parse* are pure (raw datagrams in, records out); dump* ask the kernel through the addon.
 */
export const RTM_NEWLINK = 16;
export const RTM_GETLINK = 18;
export const RTM_NEWNEIGH = 28;
export const RTM_GETNEIGH = 30;
export const RTM_NEWQDISC = 36;
export const RTM_GETQDISC = 38;

export const AF_INET = 2;
const IFINFOMSG_LEN = 16;
const IFLA_IFNAME = 3;
const NDMSG_LEN = 12;
/** ndm_state bit of entries that need no resolution (loopback, point-to-point): not real neighbours. */
export const NUD_NOARP = 0x40;
const TCMSG_LEN = 20;
const TCA_KIND = 1;
const TCA_STATS = 3;
const TCA_STATS2 = 7;
const TCA_STATS_BASIC = 1;
const TCA_STATS_QUEUE = 3;
/** tcm_parent of a root qdisc (TC_H_ROOT). */
const TC_H_ROOT = 0xffffffff;

function fixedHeader(m: NetlinkMessage, len: number, what: string): void {
  if (m.data.length < len) throw new ParseError(`${what}: ${m.data.length}-byte message, want ${len} or more`);
}

/** RTM_NEWLINK replies → interface index → name. */
export function parseLinkDump(datagrams: readonly Buffer[]): Map<number, string> {
  const names = new Map<number, string>();
  for (const m of dumpMessages(datagrams)) {
    if (m.type !== RTM_NEWLINK) continue;
    fixedHeader(m, IFINFOMSG_LEN, 'link');
    const body = m.data.subarray(IFINFOMSG_LEN);
    let name: string | undefined;
    // The name alone, of the fifty-odd attributes (the first IFLA_IFNAME, as find() took it).
    forEachAttribute(body, (type, start, end) => {
      if (type === IFLA_IFNAME && name === undefined) name = attrString(body.subarray(start, end));
    });
    if (name !== undefined) names.set(m.data.readInt32LE(4), name);
  }
  return names;
}

export interface Neighbour {
  family: number;
  ifindex: number;
  state: number;
}

/** RTM_NEWNEIGH replies → neighbour entries (family, interface, NUD state). */
export function parseNeighbourDump(datagrams: readonly Buffer[]): Neighbour[] {
  return dumpMessages(datagrams)
    .filter((m) => m.type === RTM_NEWNEIGH)
    .map((m) => {
      fixedHeader(m, NDMSG_LEN, 'neighbour');
      return { family: m.data.readUInt8(0), ifindex: m.data.readInt32LE(4), state: m.data.readUInt16LE(8) };
    });
}

function need(data: Buffer, len: number, what: string): Buffer {
  if (data.length < len) throw new ParseError(`${what}: ${data.length} bytes, want ${len} or more`);
  return data;
}

/**
 * RTM_NEWQDISC replies → qdisc records, names resolved through `names` (a qdisc whose device
 * vanished between the two dumps is left out). Counters as the kernel's TCA_STATS2 nest gives
 * them (basic: bytes, packets; queue: qlen, backlog, drops, requeues, overlimits), or the
 * legacy TCA_STATS struct; the later attribute wins, as in upstream's library.
 */
export function parseQdiscDump(datagrams: readonly Buffer[], names: ReadonlyMap<number, string>): QdiscInfo[] {
  const out: QdiscInfo[] = [];
  for (const m of dumpMessages(datagrams)) {
    if (m.type !== RTM_NEWQDISC) continue;
    fixedHeader(m, TCMSG_LEN, 'qdisc');
    const ifaceName = names.get(m.data.readInt32LE(4));
    const parent = m.data.readUInt32LE(12);
    const q: QdiscInfo = {
      ifaceName: ifaceName ?? '',
      parent: parent === TC_H_ROOT ? 0 : parent,
      handle: m.data.readUInt32LE(8),
      kind: '',
      bytes: 0,
      packets: 0,
      drops: 0,
      requeues: 0,
      overlimits: 0,
      qlen: 0,
      backlog: 0,
    };
    for (const a of parseAttributes(m.data.subarray(TCMSG_LEN))) {
      if (a.type === TCA_KIND) q.kind = attrString(a.data);
      else if (a.type === TCA_STATS) {
        const s = need(a.data, 36, 'TCA_STATS');
        q.bytes = attrUint(s.subarray(0, 8), 'bytes');
        q.packets = s.readUInt32LE(8);
        q.drops = s.readUInt32LE(12);
        q.overlimits = s.readUInt32LE(16);
        q.qlen = s.readUInt32LE(28);
        q.backlog = s.readUInt32LE(32);
      } else if (a.type === TCA_STATS2) {
        for (const n of parseAttributes(a.data)) {
          if (n.type === TCA_STATS_BASIC) {
            const s = need(n.data, 12, 'TCA_STATS_BASIC');
            q.bytes = attrUint(s.subarray(0, 8), 'bytes');
            q.packets = s.readUInt32LE(8);
          } else if (n.type === TCA_STATS_QUEUE) {
            const s = need(n.data, 20, 'TCA_STATS_QUEUE');
            q.qlen = s.readUInt32LE(0);
            q.backlog = s.readUInt32LE(4);
            q.drops = s.readUInt32LE(8);
            q.requeues = s.readUInt32LE(12);
            q.overlimits = s.readUInt32LE(16);
          }
        }
      }
    }
    if (ifaceName !== undefined) out.push(q);
  }
  return out;
}

/** The exporter's own network namespace's interfaces: index → name. */
export async function dumpLinks(): Promise<Map<number, string>> {
  return parseLinkDump(await consistentDump(NETLINK_ROUTE, RTM_GETLINK, 0, Buffer.alloc(IFINFOMSG_LEN)));
}

export async function dumpQdiscs(): Promise<QdiscInfo[]> {
  const [names, replies] = await Promise.all([dumpLinks(), consistentDump(NETLINK_ROUTE, RTM_GETQDISC, 0, Buffer.alloc(TCMSG_LEN))]);
  return parseQdiscDump(replies, names);
}

/** Neighbour table entries of one address family (AF_INET for ARP). */
export async function dumpNeighbours(family: number): Promise<Neighbour[]> {
  const req = Buffer.alloc(NDMSG_LEN);
  req.writeUInt8(family, 0);
  // The kernel filters by ndm_family in a dump; filter again in case an old one does not.
  return parseNeighbourDump(await consistentDump(NETLINK_ROUTE, RTM_GETNEIGH, 0, req)).filter((n) => n.family === family);
}
