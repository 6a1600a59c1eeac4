import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, lstatSync, readlinkSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseRunitStatus, type RunitStatus } from '../../src/etc/runit-status.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readFiles } from '../../src/native.js';
import { withFileName } from '../../src/read/files.js';
import { encodeRunitStatus, writeRunitFixtures } from '../helpers/runit-status.js';
import { fixturePath } from '../helpers/repo.js';

const UP = encodeRunitStatus({ changedAt: 1_732_450_000, nanos: 5, pid: 812, want: 'u', state: 1 });

const cases: { name: string; bytes: Buffer; want?: RunitStatus; error?: RegExp }[] = [
  { name: 'empty', bytes: Buffer.alloc(0), error: /0 bytes, want 20/ },
  { name: 'truncated: 19 bytes', bytes: UP.subarray(0, 19), error: /19 bytes/ },
  { name: 'garbage text, short', bytes: Buffer.from('run\n'), error: /4 bytes/ },
  {
    name: 'valid: running, wanted up',
    bytes: UP,
    want: { changedAt: 1_732_450_000, pid: 812, paused: false, want: 'up', state: 1 },
  },
  {
    name: 'valid: down, wanted down, no pid',
    bytes: encodeRunitStatus({ changedAt: 1_600_000_000, want: 'd', state: 0 }),
    want: { changedAt: 1_600_000_000, pid: 0, paused: false, want: 'down', state: 0 },
  },
  {
    name: 'valid: finish, paused, pid needing all four bytes (little-endian)',
    bytes: encodeRunitStatus({ changedAt: 1, pid: 0x01020304, paused: true, want: 'u', state: 2 }),
    want: { changedAt: 1, pid: 0x01020304, paused: true, want: 'up', state: 2 },
  },
  {
    name: 'extra bytes after the record are ignored',
    bytes: Buffer.concat([UP, Buffer.from('more')]),
    want: { changedAt: 1_732_450_000, pid: 812, paused: false, want: 'up', state: 1 },
  },
  {
    name: 'unknown wanted-state byte reads as neither up nor down',
    bytes: encodeRunitStatus({ changedAt: 10, want: 'x', state: 1 }),
    want: { changedAt: 10, pid: 0, paused: false, want: 'unknown', state: 1 },
  },
  {
    // 20 bytes of 0xff: decoded as upstream does, int64 arithmetic and all.
    name: 'garbage, 20 bytes: raw values, signed 64-bit time',
    bytes: Buffer.alloc(20, 0xff),
    want: { changedAt: Number(-(1n << 62n) - 11n), pid: 0xffffffff, paused: true, want: 'unknown', state: 255 },
  },
  {
    name: 'a label before 2^62 (pre-1970) gives a negative time',
    bytes: (() => {
      const b = Buffer.from(UP);
      b.writeBigUInt64BE((1n << 62n) + 10n - 86_400n, 0);
      return b;
    })(),
    want: { changedAt: -86_400, pid: 812, paused: false, want: 'up', state: 1 },
  },
];

for (const c of cases) {
  test(`parseRunitStatus: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseRunitStatus(c.bytes),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(parseRunitStatus(c.bytes), c.want);
    }
  });
}

test('parseRunitStatus: reads a view into a larger buffer at its own offset', () => {
  const big = Buffer.concat([Buffer.alloc(7, 0xaa), UP]);
  assert.equal(parseRunitStatus(big.subarray(7)).pid, 812);
});

test('parseRunitStatus: our fixture file, read through the addon, names the file on error', async () => {
  const file = fixturePath('runit', 'service', 'sshd', 'supervise', 'status');
  const [content] = await readFiles([file], 4096);
  assert.ok(Buffer.isBuffer(content));
  assert.deepEqual(
    withFileName(file, () => parseRunitStatus(content)),
    {
      changedAt: 1_732_450_000,
      pid: 812,
      paused: false,
      want: 'up',
      state: 1,
    },
  );
  const empty = fixturePath('runit', 'service', 'empty-status', 'supervise', 'status');
  const [none] = await readFiles([empty], 4096);
  assert.ok(Buffer.isBuffer(none));
  assert.throws(
    () => withFileName(empty, () => parseRunitStatus(none)),
    (err: unknown) => err instanceof ParseError && err.message.startsWith(`${empty}: `),
  );
});

/** Every path under `root` with its kind and content (or symlink target). */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(root, rel)).sort()) {
      const r = path.join(rel, name);
      const st = lstatSync(path.join(root, r));
      if (st.isSymbolicLink()) out.set(r, `-> ${readlinkSync(path.join(root, r))}`);
      else if (st.isDirectory()) walk(r);
      else out.set(r, readFileSync(path.join(root, r)).toString('hex'));
    }
  };
  walk('');
  return out;
}

test('fixtures/runit is what test/helpers/runit-status.ts writes', (t) => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'runit-fixtures-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  writeRunitFixtures(tmp);
  assert.deepEqual(snapshot(fixturePath('runit')), snapshot(tmp));
});
