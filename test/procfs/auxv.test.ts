import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuxvPageSize } from '../../src/procfs/auxv.js';
import { systemPageSize } from '../../src/read/self.js';
import { ParseError } from '../../src/procfs/parse-error.js';

/** An auxv image: (type, value) pairs of `bytes`-wide words. */
function auxv(pairs: [number, number][], bytes: 4 | 8, le: boolean): Uint8Array {
  const buf = new DataView(new ArrayBuffer(pairs.length * 2 * bytes));
  pairs.flat().forEach((v, i) => (bytes === 8 ? buf.setBigUint64(i * 8, BigInt(v), le) : buf.setUint32(i * 4, v, le)));
  return new Uint8Array(buf.buffer);
}

const cases: { name: string; buf: Uint8Array; bytes: 4 | 8; le: boolean; want?: number; error?: RegExp }[] = [
  { name: 'empty', buf: new Uint8Array(), bytes: 8, le: true, error: /no AT_PAGESZ/ },
  {
    name: 'AT_NULL before AT_PAGESZ',
    buf: auxv(
      [
        [33, 1],
        [0, 0],
        [6, 4096],
      ],
      8,
      true,
    ),
    bytes: 8,
    le: true,
    error: /no AT_PAGESZ/,
  },
  {
    name: 'truncated pair',
    buf: auxv(
      [
        [33, 1],
        [6, 4096],
      ],
      8,
      true,
    ).subarray(0, 24),
    bytes: 8,
    le: true,
    error: /no AT_PAGESZ/,
  },
  {
    name: 'not a power of two',
    buf: auxv(
      [
        [6, 4095],
        [0, 0],
      ],
      8,
      true,
    ),
    bytes: 8,
    le: true,
    error: /power of two/,
  },
  {
    name: '64-bit little-endian, 4 KiB',
    buf: auxv(
      [
        [33, 0x7ffd],
        [16, 0xbfebfbff],
        [6, 4096],
        [0, 0],
      ],
      8,
      true,
    ),
    bytes: 8,
    le: true,
    want: 4096,
  },
  {
    name: '64-bit big-endian, 64 KiB (ppc64)',
    buf: auxv(
      [
        [6, 65536],
        [0, 0],
      ],
      8,
      false,
    ),
    bytes: 8,
    le: false,
    want: 65536,
  },
  {
    name: '32-bit',
    buf: auxv(
      [
        [16, 7],
        [6, 16384],
        [0, 0],
      ],
      4,
      true,
    ),
    bytes: 4,
    le: true,
    want: 16384,
  },
];

for (const c of cases) {
  test(`parseAuxvPageSize: ${c.name}`, () => {
    if (c.error !== undefined)
      assert.throws(
        () => parseAuxvPageSize(c.buf, c.bytes, c.le),
        (e: unknown) => e instanceof ParseError && c.error!.test(e.message),
      );
    else assert.equal(parseAuxvPageSize(c.buf, c.bytes, c.le), c.want);
  });
}

test('systemPageSize reads this process auxv', async () => {
  const size = await systemPageSize();
  assert.ok([4096, 16384, 65536].includes(size), String(size));
});
