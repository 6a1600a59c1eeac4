import { isUintText, ParseError, parseUint } from './parse-error.js';

/** /proc/meminfo: key exactly as the kernel spells it → value (bytes where the kernel says kB). */
export type Meminfo = Map<string, number>;

/**
 * Each line is "Key:   value" with an optional "kB" unit. The kernel's "kB" means KiB. Lines
 * without a unit are counts (HugePages_Total and friends) and stay as they are.
 *
 * The kernel's own line ("Key:", spaces, up to 15 digits, optionally " kB") is read in place,
 * with no string made but the key; any other line goes through the general line parser, which
 * also makes every error. `inPlace` false sends every line through it (the tests' reference).
 */
export function parseMeminfo(text: string, inPlace = true): Meminfo {
  const info: Meminfo = new Map();
  let lineNumber = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNumber++;
    if (!inPlace || !plainLine(text, start, end, info)) generalLine(text.slice(start, end), lineNumber, info);
    start = end + 1;
  }
  if (info.size === 0) throw new ParseError('meminfo has no entries');
  return info;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09;

/** A key character as the kernel prints keys: letters, digits, "_", "(" and ")". */
function isKeyChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x28 || c === 0x29;
}

/** The kernel's line, read in place into `info`; false (nothing set) for any other line. */
function plainLine(text: string, start: number, end: number, info: Meminfo): boolean {
  let i = start;
  while (i < end && isKeyChar(text.charCodeAt(i))) i++;
  const keyEnd = i;
  if (keyEnd === start || text.charCodeAt(i) !== 0x3a) return false;
  i++;
  if (i >= end || !isSpace(text.charCodeAt(i))) return false;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  const valueStart = i;
  let value = 0;
  while (i < end && i - valueStart < 16) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
    i++;
  }
  if (i === valueStart || i - valueStart > 15) return false;
  let kB = false;
  if (i < end) {
    if (!isSpace(text.charCodeAt(i))) return false;
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (i < end) {
      if (!text.startsWith('kB', i)) return false;
      kB = true;
      i += 2;
      while (i < end && isSpace(text.charCodeAt(i))) i++;
      if (i !== end) return false;
    }
  }
  const key = text.slice(start, keyEnd);
  // A repeated key: the general parser says so.
  if (info.has(key)) return false;
  info.set(key, kB ? value * 1024 : value);
  return true;
}

function generalLine(line: string, lineNumber: number, info: Meminfo): void {
  const trimmed = line.trim();
  if (trimmed === '') return;
  const fields = trimmed.split(/\s+/);
  const [keyField, valueField, unit] = fields;
  if (fields.length > 3) {
    throw new ParseError(`meminfo line has ${fields.length} fields, want 2 or 3`, line, lineNumber);
  }
  if (keyField === undefined || !keyField.endsWith(':') || keyField.length < 2) {
    throw new ParseError('meminfo line does not start with "Key:"', line, lineNumber);
  }
  if (valueField === undefined) {
    throw new ParseError('meminfo line has a key but no value', line, lineNumber);
  }
  if (unit !== undefined && unit !== 'kB') {
    throw new ParseError(`unknown meminfo unit ${JSON.stringify(unit)}`, line, lineNumber);
  }
  const key = keyField.slice(0, -1);
  if (info.has(key)) throw new ParseError(`duplicate meminfo key ${JSON.stringify(key)}`, line, lineNumber);
  // The message is only built for a bad value.
  const value = isUintText(valueField) ? Number(valueField) : parseUint(valueField, `value of ${key}`, line, lineNumber);
  info.set(key, unit === 'kB' ? value * 1024 : value);
}

/**
 * The keys node_exporter turns into node_memory_* gauges. Since 1.10 it reads procfs' typed
 * Meminfo instead of exporting every key, so a key the kernel adds (SecPageTables,
 * FileHugePages, Unaccepted, KReclaimable, Hugetlb, ...) is skipped until upstream lists it.
 */
const BYTES_KEYS = new Set([
  'Active',
  'Active(anon)',
  'Active(file)',
  'AnonHugePages',
  'AnonPages',
  'Bounce',
  'Buffers',
  'Cached',
  'CmaFree',
  'CmaTotal',
  'CommitLimit',
  'Committed_AS',
  'DirectMap1G',
  'DirectMap2M',
  'DirectMap4k',
  'Dirty',
  'HardwareCorrupted',
  'Hugepagesize',
  'Inactive',
  'Inactive(anon)',
  'Inactive(file)',
  'KernelStack',
  'Mapped',
  'MemAvailable',
  'MemFree',
  'MemTotal',
  'Mlocked',
  'NFS_Unstable',
  'PageTables',
  'Percpu',
  'SReclaimable',
  'SUnreclaim',
  'Shmem',
  'ShmemHugePages',
  'ShmemPmdMapped',
  'Slab',
  'SwapCached',
  'SwapFree',
  'SwapTotal',
  'Unevictable',
  'VmallocChunk',
  'VmallocTotal',
  'VmallocUsed',
  'Writeback',
  'WritebackTmp',
  'Zswap',
  'Zswapped',
]);

/** Page counts, not sizes: upstream names them without a unit suffix. */
const COUNT_KEYS = new Set(['HugePages_Free', 'HugePages_Rsvd', 'HugePages_Surp', 'HugePages_Total']);

/** The node_memory_<suffix> name node_exporter gives a meminfo key, or undefined if it skips it. */
export function meminfoMetricName(key: string): string | undefined {
  if (COUNT_KEYS.has(key)) return key;
  if (!BYTES_KEYS.has(key)) return undefined;
  return `${key.replace(/\((\w+)\)/, '_$1')}_bytes`;
}
