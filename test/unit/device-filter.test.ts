import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, type OptionValues } from '../../src/collector.js';
import { DeviceFilter, filterFromFlags, type FilterFlags } from '../../src/device-filter.js';
import { createLogger, type Logger } from '../../src/logger.js';

// Copied from src/collectors/filesystem.ts (node_exporter's defaults).
const DEFAULT_MOUNT_POINTS_EXCLUDE = '^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)';
const DEFAULT_FS_TYPES_EXCLUDE =
  '^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs)$';

test('DeviceFilter table', async (t) => {
  const cases: { name: string; filter: DeviceFilter; kept: string[]; ignored: string[] }[] = [
    { name: 'neither', filter: new DeviceFilter(), kept: ['sda', 'loop0', ''], ignored: [] },
    { name: 'exclude only', filter: new DeviceFilter(/^loop/), kept: ['sda', 'nvme0n1', 'xloop'], ignored: ['loop0', 'loop12'] },
    { name: 'include only', filter: new DeviceFilter(undefined, /^(sd|nvme)/), kept: ['sda', 'nvme0n1'], ignored: ['loop0', 'dm-0'] },
    // Exclusion wins over inclusion.
    { name: 'both', filter: new DeviceFilter(/^sdb$/, /^sd/), kept: ['sda', 'sdc'], ignored: ['sdb', 'nvme0n1'] },
    // Unanchored, like Go's MatchString.
    { name: 'unanchored exclude', filter: new DeviceFilter(/ram/), kept: ['sda'], ignored: ['ram0', 'zram0'] },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      for (const n of c.kept) assert.equal(c.filter.ignored(n), false, `${JSON.stringify(n)} should be kept`);
      for (const n of c.ignored) assert.equal(c.filter.ignored(n), true, `${JSON.stringify(n)} should be ignored`);
    });
  }
});

const FLAGS: FilterFlags = {
  exclude: 'collector.filesystem.mount-points-exclude',
  include: 'collector.filesystem.mount-points-include',
  deprecatedExclude: 'collector.filesystem.ignored-mount-points',
};
const FS_FLAGS: FilterFlags = {
  exclude: 'collector.filesystem.fs-types-exclude',
  include: 'collector.filesystem.fs-types-include',
  deprecatedExclude: 'collector.filesystem.ignored-fs-types',
};

/** Options as parseConfig builds them: defaults present, explicit = what the command line gave. */
function options(flags: FilterFlags, defaultExclude: string, given: Record<string, string>): { values: OptionValues; explicit: Set<string> } {
  const values = new Map<string, string | boolean | string[] | undefined>([
    [flags.exclude, defaultExclude],
    [flags.include, undefined],
  ]);
  if (flags.deprecatedExclude !== undefined) values.set(flags.deprecatedExclude, undefined);
  for (const [k, v] of Object.entries(given)) values.set(k, v);
  return { values, explicit: new Set(Object.keys(given)) };
}

function capture(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger('debug', 'logfmt', (l) => lines.push(l)), lines };
}

function build(given: Record<string, string>, flags = FLAGS, defaultExclude = DEFAULT_MOUNT_POINTS_EXCLUDE) {
  const { values, explicit } = options(flags, defaultExclude, given);
  const log = capture();
  const filter = filterFromFlags(flags, values, explicit, log.logger);
  return { filter, lines: log.lines };
}

function assertConfigError(fn: () => unknown, ...mentions: string[]): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    for (const m of mentions) assert.ok(err.message.includes(m), `${JSON.stringify(err.message)} should mention ${m}`);
    return true;
  });
}

test('filterFromFlags: defaults use the default exclude', () => {
  const { filter, lines } = build({});
  assert.equal(filter.exclude?.source, new RegExp(DEFAULT_MOUNT_POINTS_EXCLUDE, 'u').source);
  assert.equal(filter.include, undefined);
  assert.equal(filter.ignored('/dev/shm'), true);
  assert.equal(filter.ignored('/home'), false);
  assert.deepEqual(
    lines.filter((l) => l.includes('level=warn')),
    [],
  );
});

test('filterFromFlags: include alone drops the default exclude', () => {
  const { filter } = build({ [FLAGS.include]: '^/(dev|home)($|/)' });
  assert.equal(filter.exclude, undefined);
  assert.equal(filter.ignored('/dev'), false, 'the default exclude must not apply any more');
  assert.equal(filter.ignored('/home'), false);
  assert.equal(filter.ignored('/'), true);
  assert.equal(filter.ignored('/var'), true);
});

test('filterFromFlags: explicit exclude replaces the default', () => {
  const { filter } = build({ [FLAGS.exclude]: '^/boot' });
  assert.equal(filter.ignored('/boot/efi'), true);
  assert.equal(filter.ignored('/dev'), false);
});

test('filterFromFlags: explicit empty exclude with include is allowed', () => {
  const { filter } = build({ [FLAGS.exclude]: '', [FLAGS.include]: '^/data' });
  assert.equal(filter.exclude, undefined);
  assert.equal(filter.ignored('/data/x'), false);
  assert.equal(filter.ignored('/'), true);
});

test('filterFromFlags: include and exclude both explicit → ConfigError', () => {
  assertConfigError(() => build({ [FLAGS.exclude]: '^/boot', [FLAGS.include]: '^/data' }), FLAGS.exclude, FLAGS.include);
  // Even when the exclude given equals the default.
  assertConfigError(() => build({ [FLAGS.exclude]: DEFAULT_MOUNT_POINTS_EXCLUDE, [FLAGS.include]: '^/data' }), FLAGS.include);
});

test('filterFromFlags: deprecated exclude alone is used, with a warning', () => {
  const { filter, lines } = build({ [FLAGS.deprecatedExclude as string]: '^/mnt/old' });
  assert.equal(filter.exclude?.source, /^\/mnt\/old/u.source);
  assert.equal(filter.ignored('/mnt/old/x'), true);
  assert.equal(filter.ignored('/dev'), false, 'the deprecated value replaces the default');
  const warnings = lines.filter((l) => l.includes('level=warn'));
  assert.equal(warnings.length, 1, lines.join('\n'));
  assert.ok(warnings[0]?.includes('ignored-mount-points'), warnings[0]);
  assert.ok(warnings[0]?.includes('mount-points-exclude'), warnings[0]);
});

test('filterFromFlags: deprecated and new exclude together → ConfigError', () => {
  assertConfigError(() => build({ [FLAGS.deprecatedExclude as string]: '^/mnt/old', [FLAGS.exclude]: '^/mnt/new' }), 'ignored-mount-points', 'mount-points-exclude');
});

test('filterFromFlags: bad regexp → ConfigError naming the flag', async (t) => {
  await t.test('exclude', () => assertConfigError(() => build({ [FLAGS.exclude]: '(' }), FLAGS.exclude));
  await t.test('include', () => assertConfigError(() => build({ [FLAGS.include]: '[a-' }), FLAGS.include));
  await t.test('default exclude given as a bad pattern', () => {
    const { values, explicit } = options(FLAGS, '(unclosed', {});
    assertConfigError(() => filterFromFlags(FLAGS, values, explicit, capture().logger), FLAGS.exclude);
  });
});

test('filterFromFlags without a deprecated flag', () => {
  const flags: FilterFlags = { exclude: 'collector.netdev.device-exclude', include: 'collector.netdev.device-include' };
  const values = new Map<string, string | undefined>([
    [flags.exclude, undefined],
    [flags.include, undefined],
  ]);
  const none = filterFromFlags(flags, values, new Set(), capture().logger);
  assert.equal(none.exclude, undefined);
  assert.equal(none.include, undefined);
  assert.equal(none.ignored('eth0'), false);
});

test('default mount-points exclude (filesystem collector)', async (t) => {
  const { filter } = build({});
  const kept = ['/', '/home', '/run/user/1000', '/boot/efi', '/var/lib/docker', '/run', '/devices', '/system', '/run/credentials', '/media/volume1'];
  const excluded = [
    '/dev',
    '/dev/shm',
    '/dev/mqueue',
    '/proc',
    '/proc/sys/fs/binfmt_misc',
    '/sys',
    '/sys/fs/cgroup',
    '/run/credentials/x.service',
    '/var/lib/docker/overlay2/abc/merged',
    '/var/lib/containers/storage/overlay',
  ];
  for (const m of kept) await t.test(`${m} kept`, () => assert.equal(filter.ignored(m), false));
  for (const m of excluded) await t.test(`${m} excluded`, () => assert.equal(filter.ignored(m), true));
});

test('default fs-types exclude (filesystem collector)', async (t) => {
  const { filter } = build({}, FS_FLAGS, DEFAULT_FS_TYPES_EXCLUDE);
  const kept = ['ext4', 'xfs', 'tmpfs', 'nfs4', 'btrfs', 'vfat', 'fuse.sshfs', 'overlayfs', 'cgroup3'];
  const excluded = ['overlay', 'proc', 'sysfs', 'cgroup', 'cgroup2', 'squashfs', 'tracefs', 'devtmpfs', 'autofs', 'erofs'];
  for (const f of kept) await t.test(`${f} kept`, () => assert.equal(filter.ignored(f), false));
  for (const f of excluded) await t.test(`${f} excluded`, () => assert.equal(filter.ignored(f), true));
});

test("the copied defaults match the filesystem collector's", async () => {
  // Guard against the copy drifting from src/collectors/filesystem.ts.
  const { readFile } = await import('node:fs/promises');
  const { repoRoot } = await import('../helpers/repo.js');
  const src = await readFile(`${repoRoot}/src/collectors/filesystem.ts`, 'utf8');
  assert.ok(src.includes(`'${DEFAULT_MOUNT_POINTS_EXCLUDE}'`), 'mount-points default changed in filesystem.ts');
  assert.ok(src.includes(`'${DEFAULT_FS_TYPES_EXCLUDE}'`), 'fs-types default changed in filesystem.ts');
});
