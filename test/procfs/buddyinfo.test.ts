import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBuddyinfo, type BuddyZone } from '../../src/procfs/buddyinfo.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const cases: { name: string; text: string; want?: BuddyZone[]; error?: RegExp }[] = [
  { name: 'empty', text: '', error: /no zones/ },
  { name: 'truncated line: no counts', text: 'Node 0, zone   Normal', error: /no block counts/ },
  { name: 'too few fields', text: 'Node 0,', error: /"Node N, zone NAME"/ },
  { name: 'not a buddyinfo line', text: 'Zone 0, node DMA 1 2', error: /"Node N, zone NAME"/ },
  { name: 'invalid number', text: 'Node 0, zone DMA 1 x 3', error: /order-1 block count "x"/ },
  {
    name: 'orders differ between lines (truncated read)',
    text: 'Node 0, zone DMA 1 2 3\nNode 0, zone Normal 4 5\n',
    error: /2 block counts, earlier lines 3/,
  },
  {
    name: "valid, the kernel's trailing space",
    text: 'Node 0, zone      DMA      0      1 \nNode 1, zone   Normal  31882  17106 \n',
    want: [
      { node: '0', zone: 'DMA', blocks: [0, 1] },
      { node: '1', zone: 'Normal', blocks: [31882, 17106] },
    ],
  },
];

for (const c of cases) {
  test(`parseBuddyinfo: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseBuddyinfo(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(parseBuddyinfo(c.text), c.want);
    }
  });
}

test('fixture /proc/buddyinfo: two nodes, 11 orders', async () => {
  const zones = await readAndParse(fixturePath('proc', 'buddyinfo'), parseBuddyinfo);
  assert.deepEqual(
    zones.map((z) => `${z.node}/${z.zone}`),
    ['0/DMA', '0/DMA32', '0/Normal', '1/Normal'],
  );
  assert.ok(zones.every((z) => z.blocks.length === 11));
  assert.deepEqual(zones[2]?.blocks.slice(0, 3), [20417, 11042, 5811]);
});
