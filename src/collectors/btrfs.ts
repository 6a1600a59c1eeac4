import { readdir } from '../read/dir.js';
import { newDesc, type CollectorDefinition, type Sink } from '../collector.js';
import { parseFileText, readProcFiles } from '../read/files.js';
import { btrfsAllocationRatio, parseBtrfsCommitStats, parseBtrfsValue, type BtrfsCommitStats } from '../sysfs/btrfs.js';
import { nativeBtrfsHost, readBtrfsIoctlStats, type BtrfsIoctlDevice, type BtrfsIoctlHost } from '../btrfs/device-stats.js';
import { DEV_STAT_NAMES } from '../btrfs/ioctl.js';
import type { Logger } from '../logger.js';
import type { Paths } from '../paths.js';
import { readMounts } from '../read/mounts.js';
import { hasErrno } from '../errno.js';

const SECTOR_SIZE = 512;
const BLOCK_GROUP_TYPES = ['data', 'metadata', 'system'] as const;

const UUID = ['uuid'];
const GROUP = ['uuid', 'block_group_type'];
const LAYOUT = ['uuid', 'block_group_type', 'mode'];
const DEVICE = ['uuid', 'device', 'btrfs_dev_uuid'];
const info = newDesc('node_btrfs_info', 'A btrfs filesystem (always 1), with its label.', 'gauge', ['uuid', 'label']);
const globalRsv = newDesc('node_btrfs_global_rsv_size_bytes', 'Size of the global block reserve in bytes.', 'gauge', UUID);
const commits = newDesc('node_btrfs_commits_total', 'Transaction commits since mount.', 'counter', UUID);
const lastCommit = newDesc('node_btrfs_last_commit_seconds', 'How long the latest transaction commit took, in seconds.', 'gauge', UUID);
const maxCommit = newDesc('node_btrfs_max_commit_seconds', 'How long the slowest transaction commit took, in seconds.', 'gauge', UUID);
const commitTime = newDesc('node_btrfs_commit_seconds_total', 'Time spent in transaction commits, in seconds.', 'counter', UUID);
const reserved = newDesc('node_btrfs_reserved_bytes', 'Space reserved for a block group type, in bytes.', 'gauge', GROUP);
const used = newDesc('node_btrfs_used_bytes', 'Space used by a block group type and profile, in bytes.', 'gauge', LAYOUT);
const size = newDesc('node_btrfs_size_bytes', 'Space allocated to a block group type and profile, in bytes.', 'gauge', LAYOUT);
const ratio = newDesc('node_btrfs_allocation_ratio', 'Raw bytes a block group profile stores per byte of data.', 'gauge', LAYOUT);
const DEVICE_SIZE_HELP = 'Size of a member device of the filesystem, in bytes.';
// Without the ioctls there is no device UUID: upstream then labels the sizes by device alone.
const sysfsDeviceSize = newDesc('node_btrfs_device_size_bytes', DEVICE_SIZE_HELP, 'gauge', ['uuid', 'device']);
const deviceSize = newDesc('node_btrfs_device_size_bytes', DEVICE_SIZE_HELP, 'gauge', DEVICE);
const deviceUnused = newDesc('node_btrfs_device_unused_bytes', 'Bytes of a member device not yet allocated to any chunk.', 'gauge', DEVICE);
const deviceErrors = newDesc('node_btrfs_device_errors_total', 'I/O and integrity errors the kernel has recorded for a member device, by type.', 'counter', [...DEVICE, 'type']);

/** Entries of a directory; a directory that does not exist has none (procfs reads it as zeros). */
async function list(dir: string, dirsOnly = false): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => !dirsOnly || e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch (err) {
    if (hasErrno(err, 'ENOENT', 'ENOTDIR')) return [];
    throw err;
  }
}

interface BtrfsFs {
  uuid: string;
  label: string;
  /** Device name → size in bytes. */
  devices: Map<string, number>;
  globalRsvSize: number;
  commits: BtrfsCommitStats;
  allocation: { type: string; reservedBytes: number; layouts: { mode: string; usedBytes: number; totalBytes: number; ratio: number }[] }[];
}

async function readFs(dir: string, name: string): Promise<BtrfsFs> {
  const [devices, layouts] = await Promise.all([list(`${dir}/devices`), Promise.all(BLOCK_GROUP_TYPES.map((t) => list(`${dir}/allocation/${t}`, true)))]);
  const files = [
    'label',
    'metadata_uuid',
    'allocation/global_rsv_size',
    'commit_stats',
    ...devices.map((d) => `devices/${d}/size`),
    ...BLOCK_GROUP_TYPES.flatMap((t, i) => [
      `allocation/${t}/bytes_reserved`,
      ...(layouts[i] ?? []).flatMap((l) => [`allocation/${t}/${l}/total_bytes`, `allocation/${t}/${l}/used_bytes`]),
    ]),
  ];
  const results = await readProcFiles(files.map((f) => `${dir}/${f}`));
  const texts = new Map<string, string | undefined>();
  files.forEach((f, i) => {
    const r = results[i];
    if (typeof r === 'string') texts.set(f, r);
    else if (r !== undefined && !hasErrno(r, 'ENOENT')) throw r;
  });
  const value = (f: string): number => parseBtrfsValue(texts.get(f) ?? '');

  // commit_stats appeared in Linux 6.0; before it every commit figure reads 0.
  const commitText = texts.get('commit_stats');
  const commits: BtrfsCommitStats =
    commitText === undefined ? { commits: 0, lastCommitMs: 0, maxCommitMs: 0, totalCommitMs: 0 } : parseFileText(`${dir}/commit_stats`, commitText, parseBtrfsCommitStats);
  return {
    uuid: texts.get('metadata_uuid')?.trim() || name,
    label: texts.get('label')?.trim() ?? '',
    devices: new Map(devices.map((d) => [d, SECTOR_SIZE * value(`devices/${d}/size`)])),
    globalRsvSize: value('allocation/global_rsv_size'),
    commits,
    allocation: BLOCK_GROUP_TYPES.map((type, i) => ({
      type,
      reservedBytes: value(`allocation/${type}/bytes_reserved`),
      layouts: (layouts[i] ?? []).map((mode) => ({
        mode,
        usedBytes: value(`allocation/${type}/${mode}/used_bytes`),
        totalBytes: value(`allocation/${type}/${mode}/total_bytes`),
        ratio: btrfsAllocationRatio(mode, devices.length),
      })),
    })),
  };
}

/** The ioctl figures, or none (logged at debug, as upstream) when the mount table is unreadable. */
async function ioctlStats(paths: Paths, logger: Logger, host: BtrfsIoctlHost): Promise<Map<string, BtrfsIoctlDevice[]>> {
  try {
    return await readBtrfsIoctlStats(paths, logger, host);
  } catch (err) {
    logger.debug('Error querying btrfs device stats with ioctl', { err });
    return new Map();
  }
}

/** Go's uint64 subtraction: wraps instead of going negative. */
const u64Difference = (a: bigint, b: bigint): number => Number(BigInt.asUintN(64, a - b));

/** The collector, with the host's ioctls replaceable for tests. */
export function btrfsDefinition(hostFor?: (paths: Paths, logger: Logger) => BtrfsIoctlHost): CollectorDefinition {
  return {
    name: 'btrfs',
    defaultEnabled: true,
    create({ paths, logger }) {
      const base = paths.sysFilePath('fs/btrfs');
      const host = hostFor?.(paths, logger) ?? nativeBtrfsHost(() => readMounts(paths, logger));
      return {
        async collect(_ctx, out) {
          // Filesystems are the <uuid> entries; "features" and other plain names are not.
          const names = (await list(base)).filter((n) => n.includes('-'));
          // No btrfs in sysfs: nothing the ioctls could add to.
          const [all, ioctl] = await Promise.all([
            Promise.all(names.map((n) => readFs(`${base}/${n}`, n))),
            names.length > 0 ? ioctlStats(paths, logger, host) : new Map<string, BtrfsIoctlDevice[]>(),
          ]);
          // sysfs and the ioctls name the filesystem alike, but for the dashes.
          for (const fs of all) emitFs(out, fs, ioctl.get(fs.uuid.replaceAll('-', '')));
        },
      };
    },
  };
}

function emitFs(out: Sink, fs: BtrfsFs, devices: readonly BtrfsIoctlDevice[] | undefined): void {
  const { uuid } = fs;
  out.add(info, 1, uuid, fs.label);
  out.add(globalRsv, fs.globalRsvSize, uuid);
  out.add(commits, fs.commits.commits, uuid);
  out.add(lastCommit, fs.commits.lastCommitMs / 1000, uuid);
  out.add(maxCommit, fs.commits.maxCommitMs / 1000, uuid);
  out.add(commitTime, fs.commits.totalCommitMs / 1000, uuid);
  for (const a of fs.allocation) {
    out.add(reserved, a.reservedBytes, uuid, a.type);
    for (const l of a.layouts) {
      out.add(used, l.usedBytes, uuid, a.type, l.mode);
      out.add(size, l.totalBytes, uuid, a.type, l.mode);
      out.add(ratio, l.ratio, uuid, a.type, l.mode);
    }
  }
  if (devices === undefined) {
    // Sizes from sysfs alone, as upstream when the ioctls did not answer.
    for (const [device, bytes] of fs.devices) out.add(sysfsDeviceSize, bytes, uuid, device);
    return;
  }
  for (const d of devices) {
    // The base name, as the sysfs entries are called: /dev/mapper/root → root.
    const labels = [uuid, d.path.slice(d.path.lastIndexOf('/') + 1), d.uuid] as const;
    out.addv(deviceSize, Number(d.totalBytes), labels);
    out.addv(deviceUnused, u64Difference(d.totalBytes, d.bytesUsed), labels);
    for (const type of DEV_STAT_NAMES) out.addv(deviceErrors, Number(d.errors[type]), [...labels, type]);
  }
}

export const btrfs: CollectorDefinition = btrfsDefinition();
