import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSockstat, type Sockstat } from '../../src/procfs/net-sockstat.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const cases: { name: string; text: string; want?: Sockstat; error?: RegExp }[] = [
  { name: 'empty', text: '', want: { protocols: [] } },
  { name: 'too few fields', text: 'TCP: inuse\n', error: /PROTO: key value/ },
  { name: 'truncated pair', text: 'TCP: inuse 4 orphan\n', error: /key without a value/ },
  { name: 'invalid number', text: 'TCP: inuse four\n', error: /"four" of inuse/ },
  { name: 'no colon', text: 'TCP inuse 4\n', error: /PROTO: key value/ },
  {
    name: 'valid: used, optional counters, unknown keys skipped, missing inuse is 0',
    text: 'sockets: used 12\nTCP: inuse 4 orphan 0 tw 2 alloc 5 mem 1 futurekey 9\nFRAG: memory 0\n',
    want: {
      used: 12,
      protocols: [
        { protocol: 'TCP', inuse: 4, orphan: 0, tw: 2, alloc: 5, mem: 1 },
        { protocol: 'FRAG', inuse: 0, memory: 0 },
      ],
    },
  },
];

for (const c of cases) {
  test(`parseSockstat: ${c.name}`, () => {
    if (c.error !== undefined)
      assert.throws(
        () => parseSockstat(c.text),
        (e: unknown) => e instanceof ParseError && c.error!.test(e.message),
      );
    else assert.deepEqual(parseSockstat(c.text), c.want);
  });
}

test('fixtures /proc/net/sockstat and sockstat6', async () => {
  const v4 = await readAndParse(fixturePath('proc', 'net', 'sockstat'), parseSockstat);
  assert.equal(v4.used, 1482);
  assert.deepEqual(v4.protocols[0], { protocol: 'TCP', inuse: 211, orphan: 3, tw: 517, alloc: 298, mem: 97 });
  const v6 = await readAndParse(fixturePath('proc', 'net', 'sockstat6'), parseSockstat);
  assert.equal(v6.used, undefined);
  assert.deepEqual(
    v6.protocols.map((p) => p.protocol),
    ['TCP6', 'UDP6', 'UDPLITE6', 'RAW6', 'FRAG6'],
  );
});
