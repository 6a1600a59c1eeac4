import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { GZIP_LEVEL, gzipWhole } from '../../src/server/gzip.js';

test('gzip: a whole body deflates to what gunzip gives back, string or Buffer, empty or larger than one output chunk', () => {
  const text = Array.from({ length: 4000 }, (_, i) => `node_x{i="${i}"} ${Math.sin(i)}\n`).join('');
  for (const input of ['', 'a', text, Buffer.from(text), Buffer.from(text.repeat(4))]) {
    const body = gzipWhole(input);
    assert.equal(body[0], 0x1f, 'gzip magic');
    assert.equal(body[1], 0x8b, 'gzip magic');
    assert.equal(zlib.gunzipSync(body).toString(), input.toString());
  }
});

test("gzip: the same bytes as zlib.gzipSync at our level, through the engine's own sync path on this Node.js", () => {
  const input = Buffer.from('node_load1 0.5\n'.repeat(5000));
  assert.deepEqual(gzipWhole(input), zlib.gzipSync(input, { level: GZIP_LEVEL }));
  // Not the fallback: Node 20 and 24 both run gzipSync through Gzip's _processChunk.
  assert.equal(typeof (new zlib.Gzip() as unknown as { _processChunk?: unknown })._processChunk, 'function');
});
