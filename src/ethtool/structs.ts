/**
 * SIOCETHTOOL request buffers (linux/ethtool.h), built and parsed as pure functions: the addon's
 * ifaceIoctl only passes the bytes through. Little-endian host order (x86-64, arm64).
 */
import { ParseError } from '../procfs/parse-error.js';

export const ETHTOOL_GSET = 0x01;
export const ETHTOOL_GDRVINFO = 0x03;
export const ETHTOOL_GSTRINGS = 0x1b;
export const ETHTOOL_GSTATS = 0x1d;
export const ETH_SS_STATS = 1;
export const ETH_GSTRING_LEN = 32;

/** struct ethtool_cmd (legacy GSET, what upstream's library reads): 44 bytes. */
export const ETHTOOL_CMD_SIZE = 44;
/** struct ethtool_drvinfo: 196 bytes. */
export const ETHTOOL_DRVINFO_SIZE = 196;

export interface LinkInfo {
  supported: number;
  advertising: number;
  autoneg: number;
}

export interface DriverInfo {
  driver: string;
  version: string;
  fwVersion: string;
  busInfo: string;
  eromVersion: string;
  nStats: number;
}

/** An empty request of `size` bytes with `cmd` in its first u32. */
export function ethtoolRequest(cmd: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  b.writeUInt32LE(cmd, 0);
  return b;
}

function need(buf: Buffer, size: number, what: string): void {
  if (buf.length < size) throw new ParseError(`${what}: ${buf.length} bytes, want ${size}`);
}

export function parseLinkInfo(buf: Buffer): LinkInfo {
  need(buf, ETHTOOL_CMD_SIZE, 'ethtool_cmd');
  return { supported: buf.readUInt32LE(4), advertising: buf.readUInt32LE(8), autoneg: buf.readUInt8(18) };
}

/** A NUL-terminated char[len] field. */
function cString(buf: Buffer, offset: number, len: number): string {
  const field = buf.subarray(offset, offset + len);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? len : end).toString('utf8');
}

export function parseDriverInfo(buf: Buffer): DriverInfo {
  need(buf, ETHTOOL_DRVINFO_SIZE, 'ethtool_drvinfo');
  return {
    driver: cString(buf, 4, 32),
    version: cString(buf, 36, 32),
    fwVersion: cString(buf, 68, 32),
    busInfo: cString(buf, 100, 32),
    eromVersion: cString(buf, 132, 32),
    nStats: buf.readUInt32LE(180),
  };
}

/** struct ethtool_gstrings for the stats string set: cmd, string_set, len, then len × 32 bytes. */
export function gstringsRequest(n: number): Buffer {
  const b = ethtoolRequest(ETHTOOL_GSTRINGS, 12 + n * ETH_GSTRING_LEN);
  b.writeUInt32LE(ETH_SS_STATS, 4);
  b.writeUInt32LE(n, 8);
  return b;
}

export function parseGstrings(buf: Buffer): string[] {
  need(buf, 12, 'ethtool_gstrings');
  const n = buf.readUInt32LE(8);
  need(buf, 12 + n * ETH_GSTRING_LEN, 'ethtool_gstrings');
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(cString(buf, 12 + i * ETH_GSTRING_LEN, ETH_GSTRING_LEN));
  return out;
}

/** struct ethtool_stats: cmd, n_stats, then n × u64. */
export function statsRequest(n: number): Buffer {
  const b = ethtoolRequest(ETHTOOL_GSTATS, 8 + n * 8);
  b.writeUInt32LE(n, 4);
  return b;
}

export function parseStats(buf: Buffer): number[] {
  need(buf, 8, 'ethtool_stats');
  const n = buf.readUInt32LE(4);
  need(buf, 8 + n * 8, 'ethtool_stats');
  const out: number[] = [];
  // Counters go out as float64 like upstream's float64(val): precision beyond 2^53 is lost there too.
  for (let i = 0; i < n; i++) out.push(Number(buf.readBigUInt64LE(8 + i * 8)));
  return out;
}

export function ethtoolMetricName(sanitized: string): string {
  let n = sanitized.toLowerCase().replace(/^_+/, '');
  n = n.replace(/(^|_)rx(_|$)/g, '$1received$2').replace(/(^|_)tx(_|$)/g, '$1transmitted$2');
  return `node_ethtool_${n}`;
}
