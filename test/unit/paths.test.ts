import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_ROOTS, Paths } from '../../src/paths.js';
import path from 'node:path';

test("defaults are node_exporter's roots", () => {
  const p = new Paths();
  assert.equal(p.procfs, '/proc');
  assert.equal(p.sysfs, '/sys');
  assert.equal(p.rootfs, '/');
  assert.equal(p.udevData, '/run/udev/data');
  assert.deepEqual(DEFAULT_ROOTS, { procfs: '/proc', sysfs: '/sys', rootfs: '/', udevData: '/run/udev/data' });
});

test('file path joins', async (t) => {
  const p = new Paths({ procfs: '/host/proc', sysfs: '/host/sys', rootfs: '/host', udevData: '/host/run/udev/data' });
  const cases: { name: string; got: string; want: string }[] = [
    { name: 'procFilePath', got: p.procFilePath('loadavg'), want: '/host/proc/loadavg' },
    { name: 'procFilePath nested', got: p.procFilePath('1/mountinfo'), want: '/host/proc/1/mountinfo' },
    { name: 'procFilePath leading slash', got: p.procFilePath('/meminfo'), want: '/host/proc/meminfo' },
    { name: 'sysFilePath', got: p.sysFilePath('class/net'), want: '/host/sys/class/net' },
    {
      name: 'sysFilePath deep',
      got: p.sysFilePath('devices/system/clocksource/clocksource0/current_clocksource'),
      want: '/host/sys/devices/system/clocksource/clocksource0/current_clocksource',
    },
    { name: 'rootfsFilePath', got: p.rootfsFilePath('etc/os-release'), want: '/host/etc/os-release' },
    { name: 'rootfsFilePath absolute name', got: p.rootfsFilePath('/usr/lib/os-release'), want: '/host/usr/lib/os-release' },
    { name: 'udevDataFilePath', got: p.udevDataFilePath('b8:0'), want: '/host/run/udev/data/b8:0' },
  ];
  for (const c of cases) await t.test(c.name, () => assert.equal(c.got, c.want));
});

test('joins with the default roots', () => {
  const p = new Paths();
  assert.equal(p.procFilePath('stat'), '/proc/stat');
  assert.equal(p.sysFilePath('fs/btrfs'), '/sys/fs/btrfs');
  assert.equal(p.rootfsFilePath('etc/os-release'), '/etc/os-release');
  assert.equal(p.udevDataFilePath('b259:0'), '/run/udev/data/b259:0');
});

test('relative roots stay relative, cleaned, as filepath.Join keeps them (labels carry them)', () => {
  const p = new Paths({ procfs: 'fixtures/proc', sysfs: './fixtures/sys/' });
  assert.equal(p.procFilePath('loadavg'), 'fixtures/proc/loadavg');
  assert.equal(p.sysFilePath('class/powercap/intel-rapl:0'), 'fixtures/sys/class/powercap/intel-rapl:0');
});

test('rootfsStripPrefix with rootfs "/" returns the path unchanged', async (t) => {
  const p = new Paths({ rootfs: '/' });
  for (const path of ['/', '/home', '/host', '/host/media/volume1', '/dev/shm', 'relative']) {
    await t.test(path, () => assert.equal(p.rootfsStripPrefix(path), path));
  }
});

const STRIP_CASES: [input: string, want: string][] = [
  ['/host', '/'],
  ['/host/media/volume1', '/media/volume1'],
  ['/host/media/volume2', '/media/volume2'],
  ['/host/home', '/home'],
  ['/host/run/user/1000', '/run/user/1000'],
  // Only a whole leading path component is the rootfs.
  ['/hostile', '/hostile'],
  ['/host2/x', '/host2/x'],
  ['/hos', '/hos'],
  // Mounts outside the rootfs (the container's own) stay as they are.
  ['/', '/'],
  ['/dev/shm', '/dev/shm'],
  ['/run/lock', '/run/lock'],
  ['/sys/fs/cgroup', '/sys/fs/cgroup'],
  ['/proc', '/proc'],
];

for (const rootfs of ['/host', '/host/']) {
  test(`rootfsStripPrefix with rootfs ${JSON.stringify(rootfs)}`, async (t) => {
    const p = new Paths({ rootfs });
    assert.equal(p.rootfs, '/host');
    for (const [input, want] of STRIP_CASES) {
      await t.test(`${input} → ${want}`, () => assert.equal(p.rootfsStripPrefix(input), want));
    }
  });
}

test('rootfsStripPrefix with a deeper rootfs', () => {
  const p = new Paths({ rootfs: '/mnt/host' });
  assert.equal(p.rootfsStripPrefix('/mnt/host'), '/');
  assert.equal(p.rootfsStripPrefix('/mnt/host/boot'), '/boot');
  assert.equal(p.rootfsStripPrefix('/mnt'), '/mnt');
  assert.equal(p.rootfsStripPrefix('/mnt/hostage'), '/mnt/hostage');
});

test('bind-mount layout: -v /:/host with two volumes', () => {
  const p = new Paths({ rootfs: '/host' });
  const mountpoints = ['/host', '/host/media/volume1', '/host/media/volume2'];
  assert.deepEqual(
    mountpoints.map((m) => p.rootfsStripPrefix(m)),
    ['/', '/media/volume1', '/media/volume2'],
  );
});

test('udevData follows the rootfs unless given', async (t) => {
  const cases: { name: string; roots: ConstructorParameters<typeof Paths>[0]; want: string }[] = [
    { name: 'rootfs "/", not given', roots: { rootfs: '/' }, want: '/run/udev/data' },
    { name: 'nothing given', roots: {}, want: '/run/udev/data' },
    { name: 'rootfs /host, not given', roots: { rootfs: '/host' }, want: '/host/run/udev/data' },
    { name: 'rootfs /host/, not given', roots: { rootfs: '/host/' }, want: '/host/run/udev/data' },
    { name: 'rootfs /host, explicitly undefined', roots: { rootfs: '/host', udevData: undefined }, want: '/host/run/udev/data' },
    { name: 'rootfs /host, given', roots: { rootfs: '/host', udevData: '/custom/udev' }, want: '/custom/udev' },
    { name: 'rootfs /, given', roots: { rootfs: '/', udevData: '/elsewhere/data' }, want: '/elsewhere/data' },
    { name: 'given with a trailing slash', roots: { udevData: '/custom/udev/' }, want: '/custom/udev' },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const p = new Paths(c.roots);
      assert.equal(p.udevData, c.want);
      assert.equal(p.udevDataFilePath('c189:1'), `${c.want}/c189:1`);
    });
  }
});

test('two Paths with different roots coexist', () => {
  const a = new Paths({ procfs: '/a/proc' });
  const b = new Paths({ procfs: '/b/proc' });
  assert.equal(a.procFilePath('stat'), '/a/proc/stat');
  assert.equal(b.procFilePath('stat'), '/b/proc/stat');
});

test('joining takes the concatenation shortcut only where path.join would give the same path', () => {
  // Every root shape (absolute, "/", relative, ".", "..") against names built from the pieces
  // that make path.join normalise: "." and ".." steps, doubled, leading and trailing slashes.
  const roots = ['/proc', '/', 'proc', '.', '..', '/host/sys'];
  const pieces = ['a', 'eth0.100', '...', '.hidden', '.', '..', '', 'x..y'];
  const names = new Set<string>();
  for (const a of pieces) for (const b of pieces) for (const sep of ['/', '//']) names.add(`${a}${sep}${b}`).add(`/${a}${sep}${b}/`).add(a);
  for (const root of roots) {
    const p = new Paths({ procfs: root });
    for (const name of names) {
      const want = path.join(p.procfs, name);
      const cleaned = want.length > 1 && want.endsWith('/') ? want.slice(0, -1) : want;
      assert.equal(p.procFilePath(name), cleaned, `${JSON.stringify(root)} + ${JSON.stringify(name)}`);
    }
  }
});

test('sysFilePaths: the joins of sysFilePath, kept per directory and file list', () => {
  const p = new Paths({ sysfs: '/host/sys' });
  const files = ['mtu', 'speed', '../x'];
  const eth0 = p.sysFilePaths('class/net/eth0', files);
  assert.deepEqual(eth0, ['/host/sys/class/net/eth0/mtu', '/host/sys/class/net/eth0/speed', p.sysFilePath('class/net/eth0/../x')]);
  assert.equal(p.sysFilePaths('class/net/eth0', files), eth0, 'the same array again');
  assert.deepEqual(p.sysFilePaths('class/net/lo', files), ['/host/sys/class/net/lo/mtu', '/host/sys/class/net/lo/speed', p.sysFilePath('class/net/lo/../x')]);
  const other = ['carrier'];
  assert.deepEqual(p.sysFilePaths('class/net/eth0', other), ['/host/sys/class/net/eth0/carrier']);
  assert.equal(p.sysFilePaths('class/net/eth0', files), eth0, 'another list for the same directory does not displace it');
});
