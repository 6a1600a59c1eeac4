import { ParseError } from '../procfs/parse-error.js';
import { genlDump, resolveFamily, type GenlFamily, type GenlMessage } from './genl.js';
import { attrString, encodeAttribute, parseAttributes, type NetlinkAttribute } from './message.js';

/**
 * ethtool over generic netlink (linux/ethtool_netlink.h, kernel 5.6+): the LINKMODES_GET dump,
 * one reply per device whose driver reports link settings, with the negotiated speed and duplex.
 */
export const ETHTOOL_GENL_NAME = 'ethtool';
const ETHTOOL_MSG_LINKMODES_GET = 4;
const ETHTOOL_A_LINKMODES_HEADER = 1;
const ETHTOOL_A_LINKMODES_AUTONEG = 2;
const ETHTOOL_A_LINKMODES_OURS = 3;
const ETHTOOL_A_LINKMODES_PEER = 4;
const ETHTOOL_A_LINKMODES_SPEED = 5;
const ETHTOOL_A_LINKMODES_DUPLEX = 6;
const ETHTOOL_A_HEADER_DEV_INDEX = 1;
const ETHTOOL_A_HEADER_DEV_NAME = 2;
const ETHTOOL_A_HEADER_FLAGS = 3;
/** Bitsets as one value/mask pair rather than one attribute per bit: smaller replies. */
const ETHTOOL_FLAG_COMPACT_BITSETS = 1;
/** The kernel's strict policy for this family wants nested attributes flagged as such. */
const NLA_F_NESTED = 0x8000;

export interface LinkModes {
  ifindex: number;
  name: string;
  /**
   * Mbit/s as the kernel's u32 carries it: SPEED_UNKNOWN (-1) arrives as 4294967295, and
   * upstream's library reads it unsigned, so it stays that (node_exporter then reports it).
   */
  speedMegabits: number;
  /** DUPLEX_HALF 0, DUPLEX_FULL 1, DUPLEX_UNKNOWN 255; 0 when absent, as upstream's zero value. */
  duplex: number;
  autoneg: number;
}

/** The duplex label value as upstream's library names it (a Go Stringer: capitalised). */
export function duplexName(duplex: number): string {
  if (duplex === 0) return 'Half';
  if (duplex === 1) return 'Full';
  if (duplex === 255) return 'Unknown';
  return `Duplex(${duplex})`;
}

function uint(a: NetlinkAttribute, size: 1 | 4, what: string): number {
  if (a.data.length !== size) throw new ParseError(`ethtool linkmodes: ${what} is ${a.data.length} bytes, want ${size}`);
  return size === 1 ? a.data.readUInt8(0) : a.data.readUInt32LE(0);
}

/** The request's only attribute: an empty device header (every device) asking for compact bitsets. */
export function linkModesRequestAttributes(): Buffer[] {
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(ETHTOOL_FLAG_COMPACT_BITSETS);
  return [encodeAttribute(ETHTOOL_A_LINKMODES_HEADER | NLA_F_NESTED, encodeAttribute(ETHTOOL_A_HEADER_FLAGS, flags))];
}

/** LINKMODES_GET replies → one record per device; any malformed attribute fails the whole dump, as upstream's parse does. */
export function parseLinkModes(messages: readonly GenlMessage[]): LinkModes[] {
  return messages.map((m) => {
    const lm: LinkModes = { ifindex: 0, name: '', speedMegabits: 0, duplex: 0, autoneg: 0 };
    for (const a of m.attributes) {
      switch (a.type) {
        case ETHTOOL_A_LINKMODES_HEADER:
          for (const h of parseAttributes(a.data)) {
            if (h.type === ETHTOOL_A_HEADER_DEV_INDEX) lm.ifindex = uint(h, 4, 'ETHTOOL_A_HEADER_DEV_INDEX');
            else if (h.type === ETHTOOL_A_HEADER_DEV_NAME) lm.name = attrString(h.data);
          }
          break;
        // The advertised modes are bitsets we do not report; their framing must still hold.
        case ETHTOOL_A_LINKMODES_OURS:
        case ETHTOOL_A_LINKMODES_PEER:
          parseAttributes(a.data);
          break;
        case ETHTOOL_A_LINKMODES_SPEED:
          lm.speedMegabits = uint(a, 4, 'ETHTOOL_A_LINKMODES_SPEED');
          break;
        case ETHTOOL_A_LINKMODES_DUPLEX:
          lm.duplex = uint(a, 1, 'ETHTOOL_A_LINKMODES_DUPLEX');
          break;
        case ETHTOOL_A_LINKMODES_AUTONEG:
          lm.autoneg = uint(a, 1, 'ETHTOOL_A_LINKMODES_AUTONEG');
          break;
        default:
      }
    }
    return lm;
  });
}

/** The ethtool family, or undefined when the kernel has none (before 5.6, or built without it). */
export function resolveEthtoolFamily(): Promise<GenlFamily | undefined> {
  return resolveFamily(ETHTOOL_GENL_NAME);
}

export async function dumpLinkModes(family: GenlFamily): Promise<LinkModes[]> {
  return parseLinkModes(await genlDump(family, ETHTOOL_MSG_LINKMODES_GET, linkModesRequestAttributes()));
}
