import { ParseError, parseUint } from '../procfs/parse-error.js';

/** One line of /sys/devices/system/node/nodeN/meminfo. */
export interface NodeMeminfoEntry {
  /** The node number as the line states it. */
  node: string;
  /** The key as the kernel spells it, without the colon: "Active(anon)". */
  key: string;
  /** Bytes when the kernel gave kB (KiB), else the plain count (HugePages_*). */
  value: number;
}

/** Keys become metric names, so only [A-Za-z0-9_] with an optional "(suffix)" pass. */
const KEY = /^([A-Za-z0-9_]+(?:\([A-Za-z0-9_]+\))?):$/;

/** "Node 1 Active(anon):     590464 kB" — /proc/meminfo's format behind a "Node N" prefix. */
export function parseNodeMeminfo(text: string): NodeMeminfoEntry[] {
  const entries: NodeMeminfoEntry[] = [];
  text.split('\n').forEach((line, i) => {
    const lineNumber = i + 1;
    const fields = line
      .trim()
      .split(/\s+/)
      .filter((f) => f !== '');
    if (fields.length === 0) return;
    if (fields.length < 4 || fields.length > 5) {
      throw new ParseError(`node meminfo line has ${fields.length} fields, want 4 or 5`, line, lineNumber);
    }
    const [word, node, keyField, valueField, unit] = fields;
    if (word !== 'Node' || node === undefined || !/^\d+$/.test(node)) {
      throw new ParseError('node meminfo line does not start with "Node N"', line, lineNumber);
    }
    const key = KEY.exec(keyField ?? '')?.[1];
    if (key === undefined) throw new ParseError(`invalid node meminfo key ${JSON.stringify(keyField)}`, line, lineNumber);
    if (unit !== undefined && unit !== 'kB') {
      throw new ParseError(`unknown node meminfo unit ${JSON.stringify(unit)}`, line, lineNumber);
    }
    const value = parseUint(valueField, `value of ${key}`, line, lineNumber);
    entries.push({ node, key, value: unit === 'kB' ? value * 1024 : value });
  });
  if (entries.length === 0) throw new ParseError('node meminfo has no entries');
  return entries;
}

/** The name suffix node_exporter gives a key: "Active(anon)" → "Active_anon". No unit suffix. */
export function nodeMeminfoMetricName(key: string): string {
  return key.replace(/\((.*)\)/, '_$1');
}
