import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasOption, isReadOnly, parseMountInfo, propagationOf, type MountInfo } from '../../src/procfs/mountinfo.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const ROOT_LINE = '28 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw,errors=remount-ro';

const cases: { name: string; text: string; want?: Partial<MountInfo>[]; error?: RegExp }[] = [
  { name: 'empty', text: '', want: [] },
  { name: 'blank lines only', text: '\n\n  \n', want: [] },
  {
    name: 'valid, one optional field',
    text: `${ROOT_LINE}\n`,
    want: [
      {
        mountId: 28,
        parentId: 1,
        major: 254,
        minor: 1,
        root: '/',
        mountPoint: '/',
        mountOptions: 'rw,relatime',
        optionalFields: ['shared:1'],
        fsType: 'ext4',
        source: '/dev/vda1',
        superOptions: 'rw,errors=remount-ro',
      },
    ],
  },
  {
    name: 'no optional fields',
    text: '40 28 0:33 / /tmp rw,nosuid - tmpfs tmpfs rw',
    want: [{ mountPoint: '/tmp', optionalFields: [], fsType: 'tmpfs', source: 'tmpfs', superOptions: 'rw' }],
  },
  {
    name: 'two optional fields',
    text: '41 28 8:17 /sub /x rw shared:3 master:2 - ext4 /dev/sdb1 rw',
    want: [{ root: '/sub', mountPoint: '/x', optionalFields: ['shared:3', 'master:2'] }],
  },
  {
    name: 'unknown optional field is kept',
    text: '42 28 0:40 / /y rw unbindable future:9 - tmpfs tmpfs rw',
    want: [{ optionalFields: ['unbindable', 'future:9'] }],
  },
  {
    name: 'empty source: two spaces in a row',
    text: '43 28 0:41 / /z rw - tmpfs  rw,inode64',
    want: [{ fsType: 'tmpfs', source: '', superOptions: 'rw,inode64' }],
  },
  {
    name: 'source literally "-"',
    text: '44 28 0:42 / /w rw - tmpfs - rw',
    want: [{ fsType: 'tmpfs', source: '-', superOptions: 'rw' }],
  },
  {
    name: 'octal escapes in root, mount point and source; octets of one UTF-8 character',
    text: '45 28 8:1 /a\\134b /mnt/x\\040y\\011z\\012\\303\\251 rw - ext4 my\\040disk rw',
    want: [{ root: '/a\\b', mountPoint: '/mnt/x y\tz\né', source: 'my disk' }],
  },
  { name: 'truncated line', text: '28 1 254:1 / / rw,relatime shared:1 - ext4', error: /fields/ },
  { name: 'too few fields', text: '28 1 254:1 / /', error: /fields/ },
  { name: 'no separator', text: '28 1 254:1 / / rw,relatime shared:1 ext4 /dev/vda1 rw', error: /separator/ },
  { name: 'extra field after separator', text: '28 1 254:1 / / rw - ext4 /dev/vda1 rw extra', error: /after "-"/ },
  { name: 'invalid mount ID', text: 'x 1 254:1 / / rw - ext4 /dev/vda1 rw', error: /mount ID/ },
  { name: 'invalid major:minor', text: '28 1 254 / / rw - ext4 /dev/vda1 rw', error: /major:minor/ },
  { name: 'invalid minor', text: '28 1 254:q / / rw - ext4 /dev/vda1 rw', error: /minor/ },
];

for (const c of cases) {
  test(`parseMountInfo: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseMountInfo(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
      return;
    }
    const got = parseMountInfo(c.text);
    assert.equal(got.length, c.want?.length);
    c.want?.forEach((want, i) => {
      const picked = Object.fromEntries(Object.keys(want).map((k) => [k, got[i]?.[k as keyof MountInfo]]));
      assert.deepEqual(picked, want);
    });
  });
}

test('parseMountInfo: the error names the line number and quotes the line', () => {
  try {
    parseMountInfo(`${ROOT_LINE}\n\n28 1 254:1 / / rw ext4`);
    assert.fail('expected a ParseError');
  } catch (err) {
    assert.ok(err instanceof ParseError);
    assert.equal(err.lineNumber, 3);
    assert.equal(err.line, '28 1 254:1 / / rw ext4');
  }
});

test('hasOption matches whole keys only', () => {
  assert.equal(hasOption('rw,errors=remount-ro', 'ro'), false);
  assert.equal(hasOption('rw,errors=remount-ro', 'errors'), true);
  assert.equal(hasOption('ro,relatime', 'ro'), true);
  assert.equal(hasOption('rw,addr=10.0.0.5', 'addr'), true);
  assert.equal(hasOption('rw,address', 'addr'), false);
  assert.equal(hasOption('', 'ro'), false);
});

test('propagationOf reads the optional fields', () => {
  const [shared, both, slave, priv] = parseMountInfo(
    [
      '1 0 0:1 / /a rw shared:1 - tmpfs tmpfs rw',
      '2 0 0:2 / /b rw shared:4 master:1 - tmpfs tmpfs rw',
      '3 0 0:3 / /c rw master:2 - tmpfs tmpfs rw',
      '4 0 0:4 / /d rw - tmpfs tmpfs rw',
    ].join('\n'),
  );
  assert.deepEqual(
    [shared, both, slave, priv].map((m) => m && propagationOf(m)),
    ['shared', 'shared', 'slave', 'private'],
  );
});

test('host fixture /proc/1/mountinfo', async () => {
  const mounts = await readAndParse(fixturePath('proc', '1', 'mountinfo'), parseMountInfo);
  assert.equal(mounts.length, 25);
  const at = (mp: string) => mounts.filter((m) => m.mountPoint === mp);

  const [root] = at('/');
  assert.deepEqual([root?.major, root?.minor, root?.source, root?.fsType], [254, 1, '/dev/vda1', 'ext4']);
  assert.equal(root && isReadOnly(root), false, 'errors=remount-ro is not ro');

  assert.equal(at('/mnt/my disk').length, 1);
  assert.equal(at('/mnt/tab\there')[0]?.source, 'scratch space');
  assert.equal(at('/mnt/back\\slash')[0]?.fsType, 'vfat');

  const selfBind = at('/srv/data');
  assert.equal(selfBind.length, 2);
  assert.equal(selfBind[1]?.parentId, selfBind[0]?.mountId);
  assert.deepEqual(
    selfBind.map((m) => `${m.major}:${m.minor} ${m.source}`),
    ['8:33 /dev/sdc1', '8:33 /dev/sdc1'],
  );

  assert.deepEqual(
    mounts.filter((m) => m.source === '/dev/sdb1').map((m) => [m.mountPoint, m.root]),
    [
      ['/data', '/'],
      ['/var/lib/data', '/appdata'],
    ],
  );

  const nfs = at('/mnt/nfs');
  assert.deepEqual(
    nfs.map((m) => m.source),
    ['nas.example:/export', 'nas.example:/export'],
  );
  assert.deepEqual(
    nfs.map((m) => m.superOptions.split(',').find((o) => o.startsWith('addr='))),
    ['addr=10.0.0.5', 'addr=10.0.1.5'],
  );

  const readOnly = mounts.filter(isReadOnly).map((m) => m.mountPoint);
  assert.deepEqual(readOnly, ['/snap/core22/1380', '/mnt/archive', '/mnt/backup']);

  assert.deepEqual(
    mounts
      .map((m) => m.optionalFields.length)
      .filter((n, i, all) => all.indexOf(n) === i)
      .sort(),
    [0, 1, 2],
  );
  assert.equal(at('/var/lib/data')[0] && propagationOf(at('/var/lib/data')[0]!), 'shared');
  assert.equal(at('/mnt/tab\there')[0] && propagationOf(at('/mnt/tab\there')[0]!), 'slave');
  assert.equal(at('/mnt/nfs')[0] && propagationOf(at('/mnt/nfs')[0]!), 'private');

  assert.ok(mounts.some((m) => m.fsType === 'overlay' && m.mountPoint.startsWith('/var/lib/docker/overlay2/') && m.mountPoint.endsWith('/merged')));
  assert.equal(at('/home/alice/remote')[0]?.fsType, 'fuse.sshfs');
});

test('container fixture /proc/self/mountinfo differs from the host one', async () => {
  const mounts = await readAndParse(fixturePath('proc', 'self', 'mountinfo'), parseMountInfo);
  assert.equal(mounts.length, 15);
  assert.equal(mounts[0]?.fsType, 'overlay');
  assert.equal(mounts.find((m) => m.mountPoint === '/etc/hosts')?.root, '/var/lib/docker/containers/9b2e/hosts');
});

test("bind-mount fixture: host mounts under /host beside the container's own", async () => {
  const mounts = await readAndParse(fixturePath('bindmount', 'proc', '1', 'mountinfo'), parseMountInfo);
  assert.deepEqual(
    mounts.filter((m) => m.mountPoint.startsWith('/host')).map((m) => m.mountPoint),
    ['/host', '/host/media/volume1', '/host/media/volume2'],
  );
  for (const mp of ['/dev/shm', '/run/lock', '/sys/fs/cgroup', '/proc', '/dev']) {
    assert.ok(
      mounts.some((m) => m.mountPoint === mp),
      mp,
    );
  }
  assert.ok(mounts.filter((m) => m.mountPoint.startsWith('/host')).every(isReadOnly));
});
