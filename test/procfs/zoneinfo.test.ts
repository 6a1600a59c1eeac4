import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { parseZoneinfo } from '../../src/procfs/zoneinfo.js';
import { fixturePath } from '../helpers/repo.js';

/** Zones as plain data for deepEqual. */
const plain = (text: string) => parseZoneinfo(text).map((z) => ({ ...z, values: Object.fromEntries(z.values) }));

const cases: { name: string; text: string; want?: ReturnType<typeof plain>; error?: RegExp }[] = [
  { name: 'empty', text: '', error: /no zones/ },
  { name: 'fields before any zone', text: '  pages free 3\nNode 0, zone DMA\n', error: /before the first "Node N, zone NAME"/ },
  { name: 'truncated line', text: 'Node 0, zone DMA\n        min\n', error: /min line has 1 fields, want 2/ },
  { name: 'too many fields', text: 'Node 0, zone DMA\n        min 1 2\n', error: /3 fields, want 2/ },
  { name: 'invalid number', text: 'Node 0, zone DMA\n      nr_free_pages 1e3\n', error: /value of nr_free_pages "1e3"/ },
  { name: 'invalid protection', text: 'Node 0, zone DMA\n        protection: (0, x)\n', error: /protection\[1\] "x"/ },
  { name: 'protection without parentheses', text: 'Node 0, zone DMA\n        protection: 0, 1\n', error: /protection is not/ },
  {
    name: 'valid: unknown keys, pagesets and per-node stats',
    text: [
      'Node 0, zone      DMA',
      '  per-node stats',
      '      nr_inactive_anon 95612',
      '      workingset_nodes 0',
      '  pages free     2949',
      '        min      8',
      '        high     14',
      '        protection: (0, 2039, 31932)',
      '      nr_free_pages 2949',
      '      numa_hit     1',
      '  pagesets',
      '    cpu: 0',
      '              high:  378',
      '  vm stats threshold: 8',
      '  start_pfn:           1',
      'Node 1, zone   Normal',
      '        min      -3',
      '',
    ].join('\n'),
    want: [
      { node: '0', zone: 'DMA', values: { nr_inactive_anon: 95612, min: 8, high: 14, nr_free_pages: 2949, numa_hit: 1 }, protection: [0, 2039, 31932] },
      { node: '1', zone: 'Normal', values: { min: -3 }, protection: [] },
    ],
  },
];

for (const c of cases) {
  test(`parseZoneinfo: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseZoneinfo(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(plain(c.text), c.want);
    }
  });
}

test('fixture /proc/zoneinfo: per-node stats land in the first populated zone', async () => {
  const zones = await readAndParse(fixturePath('proc', 'zoneinfo'), parseZoneinfo);
  assert.deepEqual(
    zones.map((z) => `${z.node}/${z.zone}`),
    ['0/DMA', '0/DMA32', '0/Normal', '0/Movable', '1/DMA', '1/DMA32', '1/Normal', '1/Movable'],
  );
  const [dma, dma32, normal, movable, , , n1normal] = zones;
  assert.equal(dma?.values.get('nr_active_anon'), 1187302);
  assert.equal(dma?.values.get('nr_free_pages'), 3840);
  assert.equal(dma32?.values.has('nr_active_anon'), false);
  assert.equal(normal?.values.get('numa_hit'), 9869412382);
  assert.deepEqual(dma?.protection, [0, 1918, 15752, 15752, 15752]);
  // Unpopulated zones stop after the protection array: watermarks, no counters.
  assert.deepEqual([...(movable?.values.keys() ?? [])], ['min', 'low', 'high', 'spanned', 'present', 'managed']);
  assert.equal(n1normal?.values.get('nr_kernel_stack'), 9216);
});
