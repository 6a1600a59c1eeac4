import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BTRFS_IOC_DEV_INFO,
  BTRFS_IOC_FS_INFO,
  BTRFS_IOC_GET_DEV_STATS,
  DEV_INFO_ARGS_SIZE,
  FS_INFO_ARGS_SIZE,
  GET_DEV_STATS_SIZE,
  devInfoRequest,
  devStatsRequest,
  fsInfoRequest,
  ioc,
  parseDevInfo,
  parseDevStats,
  parseFsInfo,
} from '../../src/btrfs/ioctl.js';
import { ParseError } from '../../src/procfs/parse-error.js';

test('request numbers are the kernel header values (linux/btrfs.h, x86-64 and arm64)', () => {
  // printf("%#lx", BTRFS_IOC_...) against /usr/include/linux/btrfs.h on Debian 12.
  assert.equal(BTRFS_IOC_FS_INFO, 0x8400941f);
  assert.equal(BTRFS_IOC_DEV_INFO, 0xd000941e);
  assert.equal(BTRFS_IOC_GET_DEV_STATS, 0xc4089434);
  assert.deepEqual([FS_INFO_ARGS_SIZE, DEV_INFO_ARGS_SIZE, GET_DEV_STATS_SIZE], [1024, 4096, 1032]);
  // SIOCETHTOOL-style _IOR/_IOWR from other headers, as a check of the encoding itself.
  assert.equal(ioc(2, 0x94, 31, 1024), 0x8400941f);
  assert.equal(ioc(0, 0x12, 0x5d, 0), 0x125d); // BLKRRPART
  assert.throws(() => ioc(3, 0x94, 1, 1 << 14), RangeError);
});

function fsInfoReply(maxId: bigint, numDevices: bigint, fsid: string): Buffer {
  const b = fsInfoRequest();
  b.writeBigUInt64LE(maxId, 0);
  b.writeBigUInt64LE(numDevices, 8);
  Buffer.from(fsid, 'hex').copy(b, 16);
  b.writeUInt32LE(16384, 32); // nodesize, ignored
  return b;
}

test('parseFsInfo: ids, count and fsid as 32 hex digits', () => {
  const fsid = 'e9df563d81a741fb967fff2dc645dd05';
  assert.deepEqual(parseFsInfo(fsInfoReply(3n, 2n, fsid)), { maxId: 3, numDevices: 2, fsid });
  assert.throws(() => parseFsInfo(Buffer.alloc(1023)), ParseError);
  assert.throws(() => parseFsInfo(Buffer.alloc(0)), ParseError);
  assert.throws(() => parseFsInfo(fsInfoReply(1n << 60n, 1n, fsid)), /max_id .* out of range/);
});

function devInfoReply(devid: bigint, uuid: string, used: bigint, total: bigint, path: string | Buffer): Buffer {
  const b = devInfoRequest(0);
  b.writeBigUInt64LE(devid, 0);
  Buffer.from(uuid, 'hex').copy(b, 8);
  b.writeBigUInt64LE(used, 24);
  b.writeBigUInt64LE(total, 32);
  Buffer.from('ffffffffffffffffffffffffffffffff', 'hex').copy(b, 40); // fsid (newer kernels), ignored
  (typeof path === 'string' ? Buffer.from(path) : path).copy(b, 3072);
  return b;
}

test('devInfoRequest puts the id first and nothing else', () => {
  const b = devInfoRequest(7);
  assert.equal(b.length, DEV_INFO_ARGS_SIZE);
  assert.equal(b.readBigUInt64LE(0), 7n);
  assert.ok(
    b.subarray(8).every((x) => x === 0),
    'a zero uuid: look up by id only',
  );
});

test('parseDevInfo: uuid 8-4-4-4-12, sizes beyond 2^53, the path up to its NUL', () => {
  const big = (1n << 62n) + 1n;
  const d = parseDevInfo(devInfoReply(1n, 'b5eeb93a0e114ca68b019e91a8e989c5', 92274688n, big, '/dev/mapper/crypt-root'));
  assert.deepEqual(d, { devid: 1, uuid: 'b5eeb93a-0e11-4ca6-8b01-9e91a8e989c5', bytesUsed: 92274688n, totalBytes: big, path: '/dev/mapper/crypt-root' });
  // An all-zero uuid prints as upstream's library prints it.
  assert.equal(parseDevInfo(devInfoReply(2n, '00'.repeat(16), 0n, 0n, '')).uuid, '<zero>');
  // A path filling the whole field has no NUL; it must not run past the struct.
  assert.equal(parseDevInfo(devInfoReply(3n, '11'.repeat(16), 0n, 0n, Buffer.alloc(1024, 0x61))).path, 'a'.repeat(1024));
  assert.throws(() => parseDevInfo(Buffer.alloc(4095)), /btrfs_ioctl_dev_info_args: 4095 bytes, want 4096/);
});

test('devStatsRequest asks for the five counters without reset; parseDevStats reads them as u64', () => {
  const b = devStatsRequest(4);
  assert.equal(b.length, GET_DEV_STATS_SIZE);
  assert.deepEqual([b.readBigUInt64LE(0), b.readBigUInt64LE(8), b.readBigUInt64LE(16)], [4n, 5n, 0n]);
  const counters = [1n, 2n, 3n, 2n ** 64n - 1n, 0n];
  counters.forEach((v, i) => b.writeBigUInt64LE(v, 24 + 8 * i));
  b.writeBigUInt64LE(99n, 24 + 8 * 5); // a counter some future kernel adds: ignored
  assert.deepEqual(parseDevStats(b), { write: 1n, read: 2n, flush: 3n, corruption: 2n ** 64n - 1n, generation: 0n });
  assert.deepEqual(parseDevStats(devStatsRequest(0)), { write: 0n, read: 0n, flush: 0n, corruption: 0n, generation: 0n });
  assert.throws(() => parseDevStats(Buffer.alloc(1024)), ParseError, 'the old 1k size is short');
});
