/**
 * A pretend kernel for the btrfs ioctls: filesystems by mount path, answered through the same
 * request buffers the real ioctls take, so the gathering and the collector are tested without
 * a btrfs mount. Errors are shaped like the addon's (a `code`).
 */
import { BTRFS_IOC_DEV_INFO, BTRFS_IOC_FS_INFO, BTRFS_IOC_GET_DEV_STATS, DEV_STAT_NAMES, type BtrfsDevStats } from '../../src/btrfs/ioctl.js';
import type { BtrfsIoctlHost } from '../../src/btrfs/device-stats.js';
import type { MountInfo } from '../../src/procfs/mountinfo.js';

export interface FakeDevice {
  devid: number;
  /** 32 hex digits. */
  uuid: string;
  used: bigint;
  total: bigint;
  path: string;
  stats?: Partial<BtrfsDevStats>;
}

export interface FakeFs {
  /** 32 hex digits. */
  fsid: string;
  devices: FakeDevice[];
  /** errno name GET_DEV_STATS fails with, for every device. */
  statsError?: string;
}

export function errno(code: string): Error {
  return Object.assign(new Error(code), { code, errno: 1, syscall: 'ioctl' });
}

export function mount(mountPoint: string, source: string, fsType = 'btrfs'): MountInfo {
  return { mountId: 1, parentId: 1, major: 0, minor: 40, root: '/', mountPoint, mountOptions: 'rw', optionalFields: [], fsType, source, superOptions: 'rw' };
}

export interface FakeHostState {
  mounts: MountInfo[] | Error;
  /** Mount path → filesystem; paths absent here answer ENOTTY. */
  filesystems: Map<string, FakeFs>;
  /** Paths that are not a subvolume root. */
  notSubvolumeRoots?: Set<string>;
  /** Every ioctl asked, as "path request devid". */
  calls: string[];
}

export function fakeHost(state: FakeHostState): BtrfsIoctlHost {
  return {
    mounts: async () => {
      if (state.mounts instanceof Error) throw state.mounts;
      return state.mounts;
    },
    isSubvolumeRoot: async (path) => !(state.notSubvolumeRoots?.has(path) ?? false),
    async ioctl(path, request, buffer) {
      const out = Buffer.from(buffer);
      const id = Number(out.readBigUInt64LE(0));
      state.calls.push(`${path} ${request.toString(16)} ${id}`);
      const fs = state.filesystems.get(path);
      if (fs === undefined) throw errno('ENOTTY');
      if (request === BTRFS_IOC_FS_INFO) {
        out.writeBigUInt64LE(BigInt(Math.max(0, ...fs.devices.map((d) => d.devid))), 0);
        out.writeBigUInt64LE(BigInt(fs.devices.length), 8);
        Buffer.from(fs.fsid, 'hex').copy(out, 16);
        return out;
      }
      const dev = fs.devices.find((d) => d.devid === id);
      if (dev === undefined) throw errno('ENODEV');
      if (request === BTRFS_IOC_DEV_INFO) {
        Buffer.from(dev.uuid, 'hex').copy(out, 8);
        out.writeBigUInt64LE(dev.used, 24);
        out.writeBigUInt64LE(dev.total, 32);
        Buffer.from(dev.path).copy(out, 3072);
        return out;
      }
      if (request === BTRFS_IOC_GET_DEV_STATS) {
        if (fs.statsError !== undefined) throw errno(fs.statsError);
        DEV_STAT_NAMES.forEach((n, i) => out.writeBigUInt64LE(dev.stats?.[n] ?? 0n, 24 + 8 * i));
        return out;
      }
      throw errno('ENOTTY');
    },
  };
}
