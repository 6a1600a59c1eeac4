import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlobComponent, glob } from '../../src/textfile/glob.js';
import { fixturePath } from '../helpers/repo.js';

test('compileGlobComponent: Go filepath.Match syntax', () => {
  const match = (pattern: string, name: string) => compileGlobComponent(pattern)?.test(name);
  assert.equal(match('*.prom', 'a.prom'), true);
  assert.equal(match('*.prom', '.hidden.prom'), true); // Go's * matches a leading dot
  assert.equal(match('*.prom', 'a.prom.tmp'), false);
  assert.equal(match('?.prom', 'ab.prom'), false);
  assert.equal(match('[a-c]x', 'bx'), true);
  assert.equal(match('[^a-c]x', 'bx'), false);
  assert.equal(match('[\\]]', ']'), true);
  assert.equal(match('a\\*', 'a*'), true);
  assert.equal(match('a\\*', 'ab'), false);
  assert.equal(match('a-b.(c)+', 'a-b.(c)+'), true);
  assert.equal(match('[z-a]', 'm'), false); // a reversed range matches nothing but is legal
  for (const bad of ['[', '[a', '[]', '[^]', '[-a]', 'a\\', '[a-]']) assert.equal(compileGlobComponent(bad), undefined, bad);
});

test('glob: directories matching a pattern, in lexical order', async () => {
  assert.deepEqual(await glob(fixturePath('textfile', '*o*')), [fixturePath('textfile', 'conflict'), fixturePath('textfile', 'good')]);
  assert.deepEqual(
    await glob(fixturePath('textfile', 'g*', '*.prom')),
    ['backup.prom', 'latency.prom', 'raid.prom'].map((f) => fixturePath('textfile', 'good', f)),
  );
  assert.deepEqual(await glob(fixturePath('textfile', 'good')), [fixturePath('textfile', 'good')]);
  assert.deepEqual(await glob(fixturePath('textfile', 'nothing-here')), []);
  assert.deepEqual(await glob(fixturePath('textfile', 'nothing*')), []);
  assert.equal(await glob(fixturePath('textfile', '[')), undefined);
});
