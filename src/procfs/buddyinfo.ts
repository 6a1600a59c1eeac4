import { ParseError, parseUint } from './parse-error.js';

/** One line of /proc/buddyinfo: free blocks of each order (2^order pages) in one zone. */
export interface BuddyZone {
  node: string;
  zone: string;
  /** Index = order: blocks[0] counts single pages, blocks[1] pairs, ... */
  blocks: number[];
}

/**
 * "Node 0, zone   Normal   4381   1093 ...": every line must carry the same number of orders
 * (the kernel's MAX_ORDER), so a short line means a truncated read, not a smaller zone.
 */
export function parseBuddyinfo(text: string): BuddyZone[] {
  const zones: BuddyZone[] = [];
  let orders: number | undefined;
  text.split('\n').forEach((line, i) => {
    const lineNumber = i + 1;
    const fields = line
      .trim()
      .split(/\s+/)
      .filter((f) => f !== '');
    if (fields.length === 0) return;
    const [nodeWord, nodeField, zoneWord, zone] = fields;
    if (nodeWord !== 'Node' || zoneWord !== 'zone' || nodeField === undefined || !/^\d+,$/.test(nodeField)) {
      throw new ParseError('buddyinfo line does not start with "Node N, zone NAME"', line, lineNumber);
    }
    if (zone === undefined) throw new ParseError('buddyinfo line has no zone name', line, lineNumber);
    const counts = fields.slice(4);
    if (counts.length === 0) throw new ParseError('buddyinfo line has no block counts', line, lineNumber);
    if (orders !== undefined && counts.length !== orders) {
      throw new ParseError(`buddyinfo line has ${counts.length} block counts, earlier lines ${orders}`, line, lineNumber);
    }
    orders = counts.length;
    zones.push({
      node: nodeField.slice(0, -1),
      zone: zone.replace(/,$/, ''),
      blocks: counts.map((c, order) => parseUint(c, `order-${order} block count`, line, lineNumber)),
    });
  });
  if (zones.length === 0) throw new ParseError('buddyinfo has no zones');
  return zones;
}
