/**
 * Per-device figures of every mounted btrfs filesystem, asked of the kernel by ioctl on one of
 * its mount points (node_exporter's getIoctlStats): size, bytes used and the five error
 * counters. sysfs has the sizes but not the counters.
 */
import { stat } from 'node:fs/promises';
import type { Logger } from '../logger.js';
import { pathIoctl, statfs } from '../native.js';
import type { Paths } from '../paths.js';
import type { MountInfo } from '../procfs/mountinfo.js';
import {
  BTRFS_IOC_DEV_INFO,
  BTRFS_IOC_FS_INFO,
  BTRFS_IOC_GET_DEV_STATS,
  BTRFS_SUBVOLUME_ROOT_INO,
  BTRFS_SUPER_MAGIC,
  devInfoRequest,
  devStatsRequest,
  fsInfoRequest,
  parseDevInfo,
  parseDevStats,
  parseFsInfo,
  type BtrfsDevStats,
  type BtrfsFsInfo,
} from './ioctl.js';
import { hasErrno } from '../errno.js';

export interface BtrfsIoctlDevice {
  /** The kernel's path for the device, e.g. "/dev/sda2". */
  path: string;
  /** The device's own uuid (btrfs_dev_uuid), not the filesystem's. */
  uuid: string;
  bytesUsed: bigint;
  totalBytes: bigint;
  errors: BtrfsDevStats;
}

/** What the gathering needs from the host; tests pass fakes. */
export interface BtrfsIoctlHost {
  mounts(): Promise<MountInfo[]>;
  /** Whether `path` is the root directory of a btrfs subvolume (the only kind upstream opens). */
  isSubvolumeRoot(path: string): Promise<boolean>;
  ioctl(path: string, request: number, buffer: Buffer): Promise<Buffer>;
}

export function nativeBtrfsHost(readMounts: () => Promise<MountInfo[]>): BtrfsIoctlHost {
  return {
    mounts: readMounts,
    async isSubvolumeRoot(path) {
      const st = await stat(path, { bigint: true });
      if (!st.isDirectory() || st.ino !== BTRFS_SUBVOLUME_ROOT_INO) return false;
      return (await statfs(path)).type === BTRFS_SUPER_MAGIC;
    },
    ioctl: pathIoctl,
  };
}

/**
 * Device ids start anywhere and may have gaps (a removed device leaves one), so every id up
 * to max_id is tried and an unused one (ENODEV) skipped, stopping once all are found. Any
 * other failure fails the whole filesystem, as upstream.
 */
async function readDevices(host: BtrfsIoctlHost, path: string, info: BtrfsFsInfo): Promise<BtrfsIoctlDevice[]> {
  const devices: BtrfsIoctlDevice[] = [];
  for (let id = 0; id <= info.maxId; id++) {
    let dev;
    try {
      dev = parseDevInfo(await host.ioctl(path, BTRFS_IOC_DEV_INFO, devInfoRequest(id)));
    } catch (err) {
      if (hasErrno(err, 'ENODEV')) continue;
      throw err;
    }
    const errors = parseDevStats(await host.ioctl(path, BTRFS_IOC_GET_DEV_STATS, devStatsRequest(id)));
    devices.push({ path: dev.path, uuid: dev.uuid, bytesUsed: dev.bytesUsed, totalBytes: dev.totalBytes, errors });
    if (devices.length === info.numDevices) break;
  }
  return devices;
}

/**
 * Devices by filesystem id (32 hex digits, no dashes), one mount point per filesystem: the
 * first btrfs mount in the table that opens and answers. A mount that fails is logged at
 * debug and the next one of the same filesystem tried. Rejects only when the mount table
 * cannot be read.
 */
export async function readBtrfsIoctlStats(paths: Paths, logger: Logger, host: BtrfsIoctlHost): Promise<Map<string, BtrfsIoctlDevice[]>> {
  const mounts = await host.mounts();
  const devicesDone = new Set<string>();
  const byFsid = new Map<string, BtrfsIoctlDevice[]>();
  // One at a time, as upstream: the first mount that answers makes the others of its
  // filesystem (subvolumes, bind mounts) unnecessary.
  for (const m of mounts) {
    if (m.fsType !== 'btrfs' || devicesDone.has(m.source)) continue;
    const mountPath = paths.rootfsFilePath(paths.rootfsStripPrefix(m.mountPoint));
    try {
      if (!(await host.isSubvolumeRoot(mountPath))) throw new Error(`${mountPath} is not the root of a btrfs subvolume`);
    } catch (err) {
      logger.debug('Error inspecting btrfs mountpoint', { mountPoint: mountPath, err });
      continue;
    }
    let info: BtrfsFsInfo;
    try {
      info = parseFsInfo(await host.ioctl(mountPath, BTRFS_IOC_FS_INFO, fsInfoRequest()));
    } catch (err) {
      logger.debug('Error querying btrfs filesystem', { mountPoint: mountPath, err });
      continue;
    }
    if (byFsid.has(info.fsid)) continue;
    try {
      byFsid.set(info.fsid, await readDevices(host, mountPath, info));
    } catch (err) {
      logger.debug('Error querying btrfs device stats', { mountPoint: mountPath, err });
      continue;
    }
    devicesDone.add(m.source);
  }
  return byFsid;
}
