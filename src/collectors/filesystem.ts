import { monotonicMs } from '../clock.js';
import { ConfigError, newDesc, type CollectorDefinition, type CollectContext, type Sink } from '../collector.js';
import { parseDuration, parseNonNegativeInt } from '../config.js';
import { filterFromFlags } from '../device-filter.js';
import type { Logger } from '../logger.js';
import { batchOverStatfs, MountStatter, type StatfsFn, type StatOutcome } from '../mount-stats.js';
import { statfsBatch } from '../native.js';
import { isReadOnly, parseMountInfo, propagationOf, type MountInfo } from '../procfs/mountinfo.js';
import { parseFileText, readAndParse } from '../read/files.js';
import { MountTableReader } from '../read/mounts.js';
import { ownProcFile } from '../read/self.js';

// node_exporter's defaults, so the same mounts are skipped out of the box.
const DEFAULT_MOUNT_POINTS_EXCLUDE = '^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)';
const DEFAULT_FS_TYPES_EXCLUDE =
  '^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs)$';

const F = 'collector.filesystem';

const LABELS = ['device', 'device_error', 'fstype', 'mountpoint'];
const size = newDesc('node_filesystem_size_bytes', 'Filesystem size in bytes (blocks times fragment size, f_frsize).', 'gauge', LABELS);
const free = newDesc('node_filesystem_free_bytes', 'Free space in bytes, including blocks reserved for root.', 'gauge', LABELS);
const avail = newDesc('node_filesystem_avail_bytes', 'Space in bytes available to unprivileged users.', 'gauge', LABELS);
const files = newDesc('node_filesystem_files', 'Total inodes.', 'gauge', LABELS);
const filesFree = newDesc('node_filesystem_files_free', 'Free inodes.', 'gauge', LABELS);
const readonly = newDesc('node_filesystem_readonly', '1 when the filesystem is mounted read-only.', 'gauge', LABELS);
const deviceError = newDesc('node_filesystem_device_error', '1 when statfs on the mount point failed or timed out (see the device_error label).', 'gauge', LABELS);
const mountInfo = newDesc('node_filesystem_mount_info', 'Constant 1 for every mount, labelled with its device numbers.', 'gauge', ['device', 'major', 'minor', 'mountpoint']);
const TIMEOUT_LABEL = 'mountpoint timeout';

/** Our own process's mounts: where --path.rootfs itself is mounted (not the host's view). */
const SELF_MOUNTINFO = ownProcFile('mountinfo');

interface MountLabels {
  device: string;
  mountpoint: string;
  fstype: string;
  major: string;
  minor: string;
  readonly: boolean;
  /** The host path to call statfs on. */
  statPath: string;
}

/** One mountinfo line, parsed; a malformed one fails the scrape with the file's name and line number. */
function parseLineOf(path: string, text: string, line: string): MountInfo {
  try {
    const [m] = parseMountInfo(line);
    if (m !== undefined) return m;
  } catch {
    // parsed again below, in place, for an error that names the file and the line number
  }
  parseFileText(path, text, parseMountInfo);
  throw new Error(`${path}: mountinfo line not parsed: ${JSON.stringify(line)}`);
}

/**
 * The mount table as of the last scrape. Mounts rarely change between scrapes, so the text is
 * parsed again only when it differs from the last one, and then only the lines that were not in
 * it; each line keeps its filter decision and labels (null: filtered out) for as long as it is
 * in the table, and they go with it.
 */
class MountTable {
  private text: string | undefined;
  private byLine = new Map<string, MountLabels | null>();
  private mounts: MountLabels[] = [];

  constructor(private readonly decide: (m: MountInfo) => MountLabels | null) {}

  update(path: string, text: string): readonly MountLabels[] {
    if (text === this.text) return this.mounts;
    const byLine = new Map<string, MountLabels | null>();
    const mounts: MountLabels[] = [];
    for (const line of text.split('\n')) {
      let entry = this.byLine.get(line);
      if (entry === undefined) {
        if (line.trim() === '') continue;
        entry = this.decide(parseLineOf(path, text, line));
      }
      byLine.set(line, entry);
      if (entry !== null) mounts.push(entry);
    }
    this.text = text;
    this.byLine = byLine;
    this.mounts = mounts;
    return mounts;
  }
}

/** Go's errno strings are strerror(3)'s, lower-cased: "no such file or directory". */
function deviceErrorLabel(err: Error): string {
  const msg = err.message;
  return msg.charAt(0).toLowerCase() + msg.slice(1);
}

/**
 * With --path.rootfs, host mounts made after we started only show up under the rootfs if it
 * was bind-mounted with slave or shared propagation (`-v /:/host:ro,rslave`). Say so once.
 */
export function rootfsPropagationWarning(selfMounts: readonly MountInfo[], rootfs: string): string | undefined {
  if (rootfs === '/') return undefined;
  const holding = selfMounts
    .filter((m) => rootfs === m.mountPoint || rootfs.startsWith(m.mountPoint === '/' ? '/' : `${m.mountPoint}/`))
    .sort((a, b) => b.mountPoint.length - a.mountPoint.length)[0];
  if (holding === undefined || propagationOf(holding) !== 'private') return undefined;
  return `--path.rootfs ${rootfs} is on a private mount (${holding.mountPoint}): host filesystems mounted after start will not be seen. Mount the host root with slave propagation (docker: -v /:/host:ro,rslave; Kubernetes: mountPropagation: HostToContainer)`;
}

export interface FilesystemOptions {
  statfs?: StatfsFn;
}

export function filesystemDefinition(opts: FilesystemOptions = {}): CollectorDefinition {
  return {
    name: 'filesystem',
    defaultEnabled: true,
    options: [
      { flag: `${F}.mount-points-exclude`, help: 'Regexp of mount points to exclude (mutually exclusive with mount-points-include).', defaultValue: DEFAULT_MOUNT_POINTS_EXCLUDE },
      { flag: `${F}.mount-points-include`, help: 'Regexp of mount points to include (mutually exclusive with mount-points-exclude).' },
      { flag: `${F}.ignored-mount-points`, help: 'Deprecated name of --collector.filesystem.mount-points-exclude.', hidden: true },
      { flag: `${F}.fs-types-exclude`, help: 'Regexp of filesystem types to exclude (mutually exclusive with fs-types-include).', defaultValue: DEFAULT_FS_TYPES_EXCLUDE },
      { flag: `${F}.fs-types-include`, help: 'Regexp of filesystem types to include (mutually exclusive with fs-types-exclude).' },
      { flag: `${F}.ignored-fs-types`, help: 'Deprecated name of --collector.filesystem.fs-types-exclude.', hidden: true },
      { flag: `${F}.mount-timeout`, help: 'How long to wait for statfs on a mount before reporting it with device_error "mountpoint timeout".', defaultValue: '5s' },
      { flag: `${F}.stat-workers`, help: 'How many statfs calls may run at once (a call still running after 1s, or half the mount timeout, stops counting).', defaultValue: '4' },
    ],
    create({ paths, logger, options, explicit }) {
      const str = (flag: string) => String(options.get(`${F}.${flag}`) ?? '');
      const mountPointFilter = filterFromFlags(
        { exclude: `${F}.mount-points-exclude`, include: `${F}.mount-points-include`, deprecatedExclude: `${F}.ignored-mount-points` },
        options,
        explicit,
        logger,
      );
      const fsTypeFilter = filterFromFlags(
        { exclude: `${F}.fs-types-exclude`, include: `${F}.fs-types-include`, deprecatedExclude: `${F}.ignored-fs-types` },
        options,
        explicit,
        logger,
      );
      const timeoutMs = parseDuration(str('mount-timeout'), `${F}.mount-timeout`);
      if (timeoutMs <= 0) throw new ConfigError(`--${F}.mount-timeout must be positive`);
      const workers = Math.max(1, parseNonNegativeInt(str('stat-workers'), `${F}.stat-workers`));
      const statter = new MountStatter(opts.statfs !== undefined ? batchOverStatfs(opts.statfs) : statfsBatch, workers, timeoutMs, logger);

      readAndParse(SELF_MOUNTINFO, parseMountInfo).then(
        (self) => {
          const warning = rootfsPropagationWarning(self, paths.rootfs);
          if (warning !== undefined) logger.warn(warning);
        },
        (err: unknown) => logger.debug('could not check the propagation of --path.rootfs', { err }),
      );

      const reader = new MountTableReader(paths, logger);
      const table = new MountTable((m) => {
        const mountpoint = paths.rootfsStripPrefix(m.mountPoint);
        if (mountPointFilter.ignored(mountpoint) || fsTypeFilter.ignored(m.fsType)) return null;
        return {
          device: m.source,
          mountpoint,
          fstype: m.fsType,
          major: String(m.major),
          minor: String(m.minor),
          readonly: isReadOnly(m),
          statPath: paths.rootfsFilePath(mountpoint),
        };
      });

      return {
        async collect(ctx: CollectContext, out: Sink): Promise<void> {
          // An unchanged table comes back as the very string of last time: update() is then one
          // pointer comparison (and a table that failed to parse fails again).
          const { path, text } = await reader.read();
          const mounts = table.update(path, text);
          // Leave a little of the scrape's time to render whatever the mounts did.
          const until = Math.min(monotonicMs() + timeoutMs, ctx.deadline - 50);
          const outcomes = await statter.statAll(
            mounts.map((m) => m.statPath),
            until,
          );
          emit(out, mounts, outcomes, logger);
        },
      };
    },
  };
}

function emit(out: Sink, mounts: readonly MountLabels[], outcomes: ReadonlyMap<string, StatOutcome>, logger: Logger): void {
  const seen = new Set<string>();
  for (const m of mounts) {
    const outcome = outcomes.get(m.statPath) ?? { kind: 'timeout' };
    const error = outcome.kind === 'ok' ? '' : outcome.kind === 'timeout' ? TIMEOUT_LABEL : deviceErrorLabel(outcome.error);
    const labels = [m.device, error, m.fstype, m.mountpoint] as const;
    // One series per label set: a mount seen twice (bind mounts, over-mounts) is reported once.
    const key = labels.join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    out.addv(deviceError, outcome.kind === 'ok' ? 0 : 1, labels);
    // As node_exporter: a timed-out mount's read-only state is not reported as known.
    out.addv(readonly, outcome.kind !== 'timeout' && m.readonly ? 1 : 0, labels);
    if (outcome.kind === 'error') logger.debug('statfs failed', { mountpoint: m.mountpoint, err: outcome.error });
    if (outcome.kind !== 'ok') continue;
    const s = outcome.stat;
    // POSIX counts f_blocks, f_bfree and f_bavail in f_frsize units. node_exporter multiplies
    // by f_bsize, which overstates sizes where the two differ (some FUSE and network filesystems).
    out.addv(size, s.blocks * s.frsize, labels);
    out.addv(free, s.bfree * s.frsize, labels);
    out.addv(avail, s.bavail * s.frsize, labels);
    out.addv(files, s.files, labels);
    out.addv(filesFree, s.ffree, labels);
    out.add(mountInfo, 1, m.device, m.major, m.minor, m.mountpoint);
  }
}
