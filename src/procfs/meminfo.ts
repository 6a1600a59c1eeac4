import { ParseError, parseUint } from './parse-error.js';

/** /proc/meminfo: key exactly as the kernel spells it → value (bytes where the kernel says kB). */
export type Meminfo = Map<string, number>;

/**
 * Each line is "Key:   value" with an optional "kB" unit. The kernel's "kB" means KiB. Lines
 * without a unit are counts (HugePages_Total and friends) and stay as they are.
 */
export function parseMeminfo(text: string): Meminfo {
  const info: Meminfo = new Map();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const lineNumber = i + 1;
    const trimmed = line.trim();
    if (trimmed === '') continue;
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
    const value = DIGITS.test(valueField) ? Number(valueField) : parseUint(valueField, `value of ${key}`, line, lineNumber);
    info.set(key, unit === 'kB' ? value * 1024 : value);
  }
  if (info.size === 0) throw new ParseError('meminfo has no entries');
  return info;
}

const DIGITS = /^\d+$/;

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
