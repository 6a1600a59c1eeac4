import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { parseSlabinfo, type Slab } from '../../src/procfs/slabinfo.js';
import { fixturePath } from '../helpers/repo.js';

const HEAD =
  'slabinfo - version: 2.1\n# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n';
const LINE = 'kmem_cache           320    336    256   32    2 : tunables    0    0    0 : slabdata     10     10      0';

const cases: { name: string; text: string; want?: Slab[]; error?: RegExp }[] = [
  { name: 'empty', text: '', error: /no caches/ },
  { name: 'headers only', text: HEAD, error: /no caches/ },
  { name: 'unsupported version', text: `slabinfo - version: 1.1\n${LINE}\n`, error: /unsupported slabinfo version/ },
  { name: 'truncated line', text: `${HEAD}kmem_cache 320 336 256 32 2 : tunables 0 0`, error: /10 fields, want 16/ },
  { name: 'unknown extra field', text: `${HEAD}${LINE} 7\n`, error: /17 fields, want 16/ },
  { name: 'shifted columns', text: `${HEAD}kmem_cache 320 336 256 32 2 tunables : 0 0 0 : slabdata 10 10 0\n`, error: /": tunables"/ },
  { name: 'invalid number', text: `${HEAD}kmem_cache 320 33x 256 32 2 : tunables 0 0 0 : slabdata 10 10 0\n`, error: /objects "33x"/ },
  { name: 'invalid slabdata number', text: `${HEAD}kmem_cache 320 336 256 32 2 : tunables 0 0 0 : slabdata 10 -1 0\n`, error: /column 15 "-1"/ },
  {
    name: 'valid',
    text: `${HEAD}${LINE}\n`,
    want: [{ name: 'kmem_cache', activeObjects: 320, objects: 336, objectSize: 256, objectsPerSlab: 32, pagesPerSlab: 2 }],
  },
];

for (const c of cases) {
  test(`parseSlabinfo: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseSlabinfo(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(parseSlabinfo(c.text), c.want);
    }
  });
}

test('fixture /proc/slabinfo', async () => {
  const slabs = await readAndParse(fixturePath('proc', 'slabinfo'), parseSlabinfo);
  assert.equal(slabs.length, 8);
  // A name wider than its column pushes the numbers right; still one cache.
  assert.deepEqual(
    slabs.find((s) => s.name === 'dmaengine-unmap-256'),
    {
      name: 'dmaengine-unmap-256',
      activeObjects: 15,
      objects: 15,
      objectSize: 2112,
      objectsPerSlab: 15,
      pagesPerSlab: 8,
    },
  );
  assert.equal(slabs.find((s) => s.name === 'dentry')?.objects, 203742);
});
