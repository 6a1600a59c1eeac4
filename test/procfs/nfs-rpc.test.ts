import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNfsClientStats, parseNfsServerStats, parseUint64 } from '../../src/procfs/nfs-rpc.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const V3 = 'proc3 22 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21';

const clientErrors: { name: string; text: string; error: RegExp }[] = [
  { name: 'label with no values', text: 'rpc\n', error: /no values/ },
  { name: 'too few fields on rpc', text: 'rpc 1 2\n', error: /rpc line has 2 values, want 3/ },
  { name: 'truncated proc3 (count says more)', text: 'proc3 22 0 1 2\n', error: /announces 22 counters, has 3/ },
  { name: 'proc2 shorter than upstream accepts', text: 'proc2 2 0 1\n', error: /announces 2/ },
  { name: 'invalid number', text: 'net 1 2 x 4\n', error: /net value 3 "x"/ },
  { name: 'negative number', text: 'net 1 2 -3 4\n', error: /net value 3/ },
  { name: 'beyond uint64', text: 'net 1 2 18446744073709551616 4\n', error: /net value 3/ },
  { name: 'unknown line', text: 'proc5 1 0\n', error: /unknown nfs line "proc5"/ },
];

for (const c of clientErrors) {
  test(`parseNfsClientStats: ${c.name}`, () => {
    assert.throws(
      () => parseNfsClientStats(c.text),
      (err: unknown) => err instanceof ParseError && c.error.test(err.message),
    );
  });
}

test('parseNfsClientStats: empty file is all zeros, every procedure still listed', () => {
  const s = parseNfsClientStats('');
  assert.equal(s.rpc.rpcCount, 0);
  assert.equal(s.v2.length, 18);
  assert.equal(s.v3.length, 22);
  assert.equal(s.v4.length, 59);
  assert.ok([...s.v2, ...s.v3, ...s.v4].every(([, v]) => v === 0));
});

test("parseNfsClientStats: a short proc4 (older kernel) is zero-filled, a long one (newer) cut to upstream's names", () => {
  const short = parseNfsClientStats('proc4 3 7 8 9\n');
  assert.deepEqual(short.v4.slice(0, 4), [
    ['Null', 7],
    ['Read', 8],
    ['Write', 9],
    ['Commit', 0],
  ]);
  const values = Array.from({ length: 70 }, (_, i) => i);
  const long = parseNfsClientStats(`proc4 70 ${values.join(' ')}\n`);
  assert.equal(long.v4.length, 59);
  // Kernel order puts GETDEVICEINFO before LAYOUTGET.
  assert.deepEqual(long.v4.slice(44, 46), [
    ['GetDeviceInfo', 44],
    ['LayoutGet', 45],
  ]);
  assert.deepEqual(long.v4.at(-1), ['Clone', 58]);
});

test('parseNfsClientStats: valid lines', () => {
  const s = parseNfsClientStats(`net 10 4 6 2\nrpc 100 3 101\n${V3}\n`);
  assert.deepEqual(s.network, { netCount: 10, udpCount: 4, tcpCount: 6, tcpConnect: 2 });
  assert.deepEqual(s.rpc, { rpcCount: 100, retransmissions: 3, authRefreshes: 101 });
  assert.deepEqual(s.v3.slice(0, 3), [
    ['Null', 0],
    ['GetAttr', 1],
    ['SetAttr', 2],
  ]);
  assert.deepEqual(s.v3.at(-1), ['Commit', 21]);
});

const serverErrors: { name: string; text: string; error: RegExp }[] = [
  { name: 'th with one value', text: 'th 8\n', error: /th line has 1 values, want 2/ },
  { name: 'ra too short', text: 'ra 32 0 0\n', error: /ra line has 3 values, want 12/ },
  { name: 'proc4 not 2 counters', text: 'proc4 3 1 2 3\n', error: /proc4 line wants 2/ },
  { name: 'proc4ops below 39', text: 'proc4ops 2 0 0\n', error: /announces 2/ },
  { name: 'invalid fh', text: 'fh 0 0 zero 0 0\n', error: /fh value 3/ },
  { name: 'unknown line', text: 'xx 1\n', error: /unknown nfsd line/ },
];

for (const c of serverErrors) {
  test(`parseNfsServerStats: ${c.name}`, () => {
    assert.throws(
      () => parseNfsServerStats(c.text),
      (err: unknown) => err instanceof ParseError && c.error.test(err.message),
    );
  });
}

test('parseNfsServerStats: th keeps two counts and ignores the float histogram', () => {
  assert.equal(parseNfsServerStats('th 8 0 0.000 1.500\n').threads, 8);
});

test('parseNfsServerStats: v2/v3 without Null, 39 v4 ops with RelLockOwner 0 when absent', () => {
  const ops = Array.from({ length: 39 }, (_, i) => i);
  const s = parseNfsServerStats(`${V3}\nproc4ops 39 ${ops.join(' ')}\n`);
  assert.equal(s.v3.length, 21);
  assert.deepEqual(s.v3[0], ['GetAttr', 1]);
  assert.equal(s.v4Ops.length, 35);
  assert.deepEqual(s.v4Ops[0], ['Access', 3]);
  assert.deepEqual(
    s.v4Ops.find(([n]) => n === 'Read'),
    ['Read', 25],
  );
  assert.deepEqual(s.v4Ops.at(-1), ['RelLockOwner', 0]);
  assert.equal(s.wdelegGetattr, 0);
});

test('parseUint64: the full uint64 range, rounded past 2^53', () => {
  assert.equal(parseUint64('18446744073709551615', 'x'), 2 ** 64);
  assert.equal(parseUint64('9007199254740993', 'x'), 2 ** 53);
  assert.throws(() => parseUint64('18446744073709551616', 'x'), ParseError);
  assert.throws(() => parseUint64('', 'x'), ParseError);
});

test('fixture /proc/net/rpc/nfs: a 6.x client with no proc2 line and a 70-counter proc4', async () => {
  const s = await readAndParse(fixturePath('proc', 'net', 'rpc', 'nfs'), parseNfsClientStats);
  assert.equal(s.rpc.rpcCount, 90871223001);
  assert.ok(s.v2.every(([, v]) => v === 0));
  assert.deepEqual(s.v3[1], ['GetAttr', 2 ** 53]);
  assert.deepEqual(
    s.v4.find(([n]) => n === 'Sequence'),
    ['Sequence', 90871223],
  );
});

test('fixture /proc/net/rpc/nfsd: no ra line, 76 v4 ops, wdeleg_getattr', async () => {
  const s = await readAndParse(fixturePath('proc', 'net', 'rpc', 'nfsd'), parseNfsServerStats);
  assert.equal(s.threads, 16);
  assert.deepEqual(s.readAhead, { cacheSize: 0, notFound: 0 });
  assert.deepEqual(s.rpc, { rpcCount: 14021203, badFmt: 1, badAuth: 3, badcInt: 0 });
  assert.deepEqual(
    s.v4Ops.find(([n]) => n === 'PutFH'),
    ['PutFH', 14021203],
  );
  assert.deepEqual(s.v4Ops.at(-1), ['RelLockOwner', 4]);
  assert.equal(s.wdelegGetattr, 2);
});
