import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMountStats } from '../../src/procfs/mountstats.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const EVENTS = `\tevents:\t${Array.from({ length: 27 }, (_, i) => i).join(' ')}`;
const nfsMount = (body: string, version = '1.1'): string => `device srv:/x mounted on /mnt/x with fstype nfs4 statvers=${version}\n\tage:\t5\n${body}\n`;

const errors: { name: string; text: string; error: RegExp }[] = [
  { name: 'truncated device line', text: 'device srv:/x mounted on /mnt\n', error: /invalid mountstats device line/ },
  { name: 'device line with the wrong words', text: 'device srv:/x mounted at /mnt with fstype nfs\n', error: /invalid mountstats device line/ },
  { name: 'statistics for a non-NFS fstype', text: 'device a mounted on /b with fstype xfs statvers=1.1\n', error: /fstype "xfs"/ },
  { name: 'too few events', text: nfsMount('\tevents:\t1 2 3'), error: /events line has 3 values, want 27/ },
  { name: 'too few bytes', text: nfsMount('\tbytes:\t1 2'), error: /bytes line has 2 values, want 8/ },
  { name: 'invalid number in bytes', text: nfsMount('\tbytes:\t1 2 3 4 5 6 7 x'), error: /bytes value write_pages "x"/ },
  { name: 'xprt of an unknown protocol', text: nfsMount('\txprt:\tsctp 1 2 3'), error: /protocol "sctp"/ },
  { name: 'xprt tcp of the wrong length for 1.1', text: nfsMount('\txprt:\ttcp 1 2 3 4 5 6 7 8 9 10'), error: /tcp line has 10 values, want 13/ },
  { name: 'xprt in an unknown statvers', text: nfsMount('\txprt:\ttcp 1 2 3 4 5 6 7 8 9 10', '2.0'), error: /statvers "2.0"/ },
  { name: 'per-op line too short', text: nfsMount('\tper-op statistics\n\t  READ: 1 2 3'), error: /per-op line has 4 fields/ },
  { name: 'invalid age', text: 'device srv:/x mounted on /mnt/x with fstype nfs statvers=1.1\n\tage:\tlong\n', error: /invalid mountstats age/ },
];

for (const c of errors) {
  test(`parseMountStats: ${c.name}`, () => {
    assert.throws(
      () => parseMountStats(c.text),
      (err: unknown) => err instanceof ParseError && c.error.test(err.message),
    );
  });
}

test('parseMountStats: empty file has no mounts', () => {
  assert.deepEqual(parseMountStats(''), []);
});

test('parseMountStats: a mount without statvers has no NFS block; unknown NFS lines are skipped', () => {
  const [plain, nfs] = parseMountStats(`device proc mounted on /proc with fstype proc\n${nfsMount(`\tcaps:\tcaps=0x1\n${EVENTS}\n\tfuture:\t1 2 3`)}`);
  assert.deepEqual(plain, { device: 'proc', mountPoint: '/proc', fsType: 'proc' });
  assert.equal(nfs?.nfs?.ageSeconds, 5);
  assert.equal(nfs?.nfs?.events.get('pnfs_write'), 26);
  assert.equal(nfs?.nfs?.bytes.get('read'), 0);
});

test('parseMountStats: UDP transports have no connection fields; 1.0 TCP no queue counters', () => {
  const udp = parseMountStats(nfsMount('\txprt:\tudp 871 1 118 117 2 301 4 9 10 11'))[0]?.nfs?.transports[0];
  assert.deepEqual(
    [udp?.port, udp?.bind, udp?.connect, udp?.idleTimeSeconds, udp?.sends, udp?.receives, udp?.cumulativeBacklog, udp?.maximumRpcSlotsUsed, udp?.cumulativePendingQueue],
    [871, 1, 0, 0n, 118, 117, 4, 9, 11],
  );
  const tcp = parseMountStats(nfsMount('\txprt:\ttcp 1 2 3 4 5 6 7 8 9 10', '1.0'))[0]?.nfs?.transports[0];
  assert.deepEqual([tcp?.idleTimeSeconds, tcp?.cumulativeBacklog, tcp?.maximumRpcSlotsUsed], [5n, 10, 0]);
});

test('parseMountStats: per-op times stay exact beyond 2^53; the optional errors column is accepted', () => {
  const [m] = parseMountStats(nfsMount('\tper-op statistics\n\t        READ: 1 2 3 4 5 18446744073709551000 7 8 9\n\t  WRITE: 0 0 0 0 0 0 0 0'));
  assert.equal(m?.nfs?.operations.length, 2);
  assert.equal(m?.nfs?.operations[0]?.operation, 'READ');
  assert.equal(m?.nfs?.operations[0]?.queueMilliseconds, 18446744073709551000n);
});

test('fixture nfsclient/proc/self/mountstats', async () => {
  const mounts = await readAndParse(fixturePath('nfsclient', 'proc', 'self', 'mountstats'), parseMountStats);
  assert.deepEqual(
    mounts.map((m) => [m.mountPoint, m.fsType, m.nfs?.statVersion]),
    [
      ['/', 'ext4', undefined],
      ['/proc', 'proc', undefined],
      ['/sys', 'sysfs', undefined],
      ['/home', 'nfs4', '1.1'],
      ['/srv/home\\040copy', 'nfs4', '1.1'],
      ['/mnt/legacy', 'nfs', '1.0'],
      ['/mnt/scratch', 'tmpfs', undefined],
    ],
  );
  const home = mounts[3]?.nfs;
  assert.equal(home?.transports.length, 2);
  assert.equal(home?.operations.find((o) => o.operation === 'WRITE')?.queueMilliseconds, 2n ** 53n + 3n);
  assert.equal(home?.bytes.get('total_write'), 41302118400);
  assert.equal(mounts[5]?.nfs?.transports[0]?.protocol, 'udp');
});
