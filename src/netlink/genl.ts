import { NETLINK_GENERIC } from '../native.js';
import { consistentDump } from './dump.js';
import { ParseError } from '../procfs/parse-error.js';
import { attrString, attrUint, dumpMessages, parseAttributes, type NetlinkAttribute } from './message.js';

/**
 * Generic netlink (linux/genetlink.h): every message starts with genlmsghdr (command, version,
 * 2 reserved bytes) before its attributes; families get their message type at run time from
 * the controller, which we ask by dumping every family.
 */
export const GENL_HDRLEN = 4;
const GENL_ID_CTRL = 16;
const CTRL_CMD_GETFAMILY = 3;
const CTRL_ATTR_FAMILY_ID = 1;
const CTRL_ATTR_FAMILY_NAME = 2;
const CTRL_ATTR_VERSION = 3;

export interface GenlFamily {
  id: number;
  version: number;
}

export interface GenlMessage {
  command: number;
  version: number;
  attributes: NetlinkAttribute[];
}

/** The generic netlink messages of a dump (of message type `type`), header split off. */
export function parseGenlDump(datagrams: readonly Buffer[], type: number): GenlMessage[] {
  return dumpMessages(datagrams)
    .filter((m) => m.type === type)
    .map((m) => {
      if (m.data.length < GENL_HDRLEN) throw new ParseError(`genetlink: ${m.data.length}-byte message, want ${GENL_HDRLEN} or more`);
      return { command: m.data.readUInt8(0), version: m.data.readUInt8(1), attributes: parseAttributes(m.data.subarray(GENL_HDRLEN)) };
    });
}

/** The controller's family dump → family name → id and version. */
export function parseFamilyDump(datagrams: readonly Buffer[]): Map<string, GenlFamily> {
  const out = new Map<string, GenlFamily>();
  for (const m of parseGenlDump(datagrams, GENL_ID_CTRL)) {
    let name: string | undefined;
    const f: GenlFamily = { id: 0, version: 0 };
    for (const a of m.attributes) {
      if (a.type === CTRL_ATTR_FAMILY_NAME) name = attrString(a.data);
      else if (a.type === CTRL_ATTR_FAMILY_ID) f.id = attrUint(a.data, 'CTRL_ATTR_FAMILY_ID');
      else if (a.type === CTRL_ATTR_VERSION) f.version = attrUint(a.data, 'CTRL_ATTR_VERSION');
    }
    if (name !== undefined) out.set(name, f);
  }
  return out;
}

/** A request payload: genlmsghdr and the attributes. */
export function genlRequest(command: number, version: number, attributes: readonly Buffer[] = []): Buffer {
  return Buffer.concat([Buffer.from([command, version, 0, 0]), ...attributes]);
}

/** The family registered under `name`, or undefined when the kernel has none (module not loaded). */
export async function resolveFamily(name: string): Promise<GenlFamily | undefined> {
  const families = parseFamilyDump(await consistentDump(NETLINK_GENERIC, GENL_ID_CTRL, 0, genlRequest(CTRL_CMD_GETFAMILY, 1)));
  return families.get(name);
}

/** One dump of a generic netlink family's command. */
export async function genlDump(family: GenlFamily, command: number, attributes: readonly Buffer[] = []): Promise<GenlMessage[]> {
  return parseGenlDump(await consistentDump(NETLINK_GENERIC, family.id, 0, genlRequest(command, family.version, attributes)), family.id);
}
