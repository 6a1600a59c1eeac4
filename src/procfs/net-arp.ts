import { ParseError } from './parse-error.js';

export interface ArpEntry {
  ip: string;
  hwAddress: string;
  /** ATF_* bits: 0x2 complete, 0x4 permanent, ... */
  flags: number;
  device: string;
}

/** A link-layer address as node_exporter accepts it (Go's net.ParseMAC): 6, 8 or 20 octets. */
const MAC = /^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}(?:(?::[0-9a-fA-F]{2}){2}|(?::[0-9a-fA-F]{2}){14})?$/;

/**
 * /proc/net/arp: a header ("IP address  HW type  Flags  HW address  Mask  Device"), then
 * one line of six columns per IPv4 neighbour. The kernel leaves out NOARP entries itself.
 */
export function parseArp(text: string): ArpEntry[] {
  const out: ArpEntry[] = [];
  text.split('\n').forEach((line, i) => {
    const lineNumber = i + 1;
    if (line.trim() === '' || (i === 0 && line.startsWith('IP address'))) return;
    const fields = line.trim().split(/\s+/);
    const [ip, , flags, hwAddress, , device] = fields;
    if (fields.length !== 6 || ip === undefined || flags === undefined || hwAddress === undefined || device === undefined) {
      throw new ParseError(`arp line has ${fields.length} columns, want 6`, line, lineNumber);
    }
    if (!MAC.test(hwAddress)) throw new ParseError(`invalid HW address ${JSON.stringify(hwAddress)}`, line, lineNumber);
    const m = /^0[xX]([0-9a-fA-F]{1,2})$/.exec(flags);
    if (m === null) throw new ParseError(`invalid flags ${JSON.stringify(flags)}`, line, lineNumber);
    out.push({ ip, hwAddress, flags: Number.parseInt(m[1] ?? '', 16), device });
  });
  return out;
}
