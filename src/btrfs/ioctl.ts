/**
 * The three btrfs ioctls node_exporter asks for per-device figures (linux/btrfs.h), as pure
 * functions over the argument structs: the addon's pathIoctl only passes the bytes through.
 * Request numbers use the asm-generic _IOC encoding (x86, arm, riscv) and the structs the
 * host's little-endian order, as src/ethtool/ does.
 */
import { ParseError } from '../procfs/parse-error.js';

const IOC_WRITE = 1;
const IOC_READ = 2;
const BTRFS_IOCTL_MAGIC = 0x94;

/** asm-generic/ioctl.h: dir in bits 30-31, size in 16-29, type in 8-15, nr in 0-7. */
export function ioc(dir: number, type: number, nr: number, size: number): number {
  if (size < 0 || size >= 1 << 14) throw new RangeError(`ioctl argument size ${size} does not fit in 14 bits`);
  // `>>> 0`: keep the result an unsigned 32-bit number (dir 3 sets the sign bit).
  return ((dir << 30) | (size << 16) | (type << 8) | nr) >>> 0;
}

/** struct btrfs_ioctl_fs_info_args: 1024 bytes, all out. */
export const FS_INFO_ARGS_SIZE = 1024;
/** struct btrfs_ioctl_dev_info_args: 4096 bytes; devid (and uuid) in, the rest out. */
export const DEV_INFO_ARGS_SIZE = 4096;
/** struct btrfs_ioctl_get_dev_stats: 1032 bytes (the header's "pad to 1k" is 8 bytes more). */
export const GET_DEV_STATS_SIZE = 1032;

export const BTRFS_IOC_FS_INFO = ioc(IOC_READ, BTRFS_IOCTL_MAGIC, 31, FS_INFO_ARGS_SIZE);
export const BTRFS_IOC_DEV_INFO = ioc(IOC_READ | IOC_WRITE, BTRFS_IOCTL_MAGIC, 30, DEV_INFO_ARGS_SIZE);
export const BTRFS_IOC_GET_DEV_STATS = ioc(IOC_READ | IOC_WRITE, BTRFS_IOCTL_MAGIC, 52, GET_DEV_STATS_SIZE);

/** The counters every kernel since 3.5 keeps, in the order of enum btrfs_dev_stat_values. */
export const DEV_STAT_NAMES = ['write', 'read', 'flush', 'corruption', 'generation'] as const;
export type DevStatName = (typeof DEV_STAT_NAMES)[number];

/** BTRFS_FIRST_FREE_OBJECTID: the inode number of every subvolume's root directory. */
export const BTRFS_SUBVOLUME_ROOT_INO = 256n;
/** BTRFS_SUPER_MAGIC, statfs f_type. */
export const BTRFS_SUPER_MAGIC = 0x9123683e;

export interface BtrfsFsInfo {
  /** Highest device id in use; ids below it may be free. */
  maxId: number;
  numDevices: number;
  /** The filesystem id as 32 lowercase hex digits, no dashes (what sysfs names are matched on). */
  fsid: string;
}

export interface BtrfsDevInfo {
  devid: number;
  /** The device's own uuid, 8-4-4-4-12; "<zero>" when the kernel leaves it empty. */
  uuid: string;
  bytesUsed: bigint;
  totalBytes: bigint;
  /** The device path the kernel knows it by, e.g. "/dev/sda2". */
  path: string;
}

export type BtrfsDevStats = Record<DevStatName, bigint>;

function need(buf: Buffer, size: number, what: string): void {
  if (buf.length < size) throw new ParseError(`${what}: ${buf.length} bytes, want ${size}`);
}

/** A u64 that must fit a JS number exactly (device ids and counts, never near 2^53). */
function smallU64(buf: Buffer, offset: number, what: string): number {
  const v = buf.readBigUInt64LE(offset);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ParseError(`${what} ${v} is out of range`);
  return Number(v);
}

/** The formatting upstream's library gives a device uuid. */
function formatUuid(bytes: Buffer): string {
  if (bytes.every((b) => b === 0)) return '<zero>';
  const hex = bytes.toString('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

export function fsInfoRequest(): Buffer {
  return Buffer.alloc(FS_INFO_ARGS_SIZE);
}

/** max_id u64 @0, num_devices u64 @8, fsid u8[16] @16; later fields are not needed. */
export function parseFsInfo(buf: Buffer): BtrfsFsInfo {
  need(buf, FS_INFO_ARGS_SIZE, 'btrfs_ioctl_fs_info_args');
  return {
    maxId: smallU64(buf, 0, 'max_id'),
    numDevices: smallU64(buf, 8, 'num_devices'),
    fsid: buf.subarray(16, 32).toString('hex'),
  };
}

/** Asks for one device by id (a zero uuid: match on the id alone). */
export function devInfoRequest(devid: number): Buffer {
  const b = Buffer.alloc(DEV_INFO_ARGS_SIZE);
  b.writeBigUInt64LE(BigInt(devid), 0);
  return b;
}

/** devid @0, uuid u8[16] @8, bytes_used @24, total_bytes @32, …, path char[1024] @3072. */
export function parseDevInfo(buf: Buffer): BtrfsDevInfo {
  need(buf, DEV_INFO_ARGS_SIZE, 'btrfs_ioctl_dev_info_args');
  const path = buf.subarray(DEV_INFO_ARGS_SIZE - 1024);
  const end = path.indexOf(0);
  return {
    devid: smallU64(buf, 0, 'devid'),
    uuid: formatUuid(buf.subarray(8, 24)),
    bytesUsed: buf.readBigUInt64LE(24),
    totalBytes: buf.readBigUInt64LE(32),
    path: path.subarray(0, end < 0 ? path.length : end).toString('utf8'),
  };
}

/** Asks for the counters of one device, without resetting them (flags 0). */
export function devStatsRequest(devid: number): Buffer {
  const b = Buffer.alloc(GET_DEV_STATS_SIZE);
  b.writeBigUInt64LE(BigInt(devid), 0);
  b.writeBigUInt64LE(BigInt(DEV_STAT_NAMES.length), 8);
  return b;
}

/**
 * devid @0, nr_items @8, flags @16, values u64[] @24. A kernel that knows fewer counters
 * lowers nr_items and leaves the rest as we sent them: zero.
 */
export function parseDevStats(buf: Buffer): BtrfsDevStats {
  need(buf, GET_DEV_STATS_SIZE, 'btrfs_ioctl_get_dev_stats');
  const at = (i: number): bigint => buf.readBigUInt64LE(24 + 8 * i);
  return { write: at(0), read: at(1), flush: at(2), corruption: at(3), generation: at(4) };
}
