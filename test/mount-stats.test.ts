import assert from 'node:assert/strict';
import { test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../src/logger.js';
import { MountStatter } from '../src/mount-stats.js';
import type { Statfs } from '../src/native.js';

const STAT: Statfs = { type: 0xef53, bsize: 4096, frsize: 4096, blocks: 100, bfree: 50, bavail: 40, files: 10, ffree: 5, flags: 0, namelen: 255 };

/** A fake statfs: paths listed in `hung` never answer until released. */
function fakeStatfs(hung: Set<string>) {
  const calls: string[] = [];
  const pending = new Map<string, (s: Statfs) => void>();
  const fn = (path: string): Promise<Statfs> => {
    calls.push(path);
    if (path === '/missing') return Promise.reject(Object.assign(new Error('No such file or directory'), { code: 'ENOENT' }));
    if (!hung.has(path)) return Promise.resolve(STAT);
    return new Promise((resolve) => pending.set(path, resolve));
  };
  const release = (path: string) => {
    hung.delete(path);
    pending.get(path)?.(STAT);
    pending.delete(path);
  };
  return { fn, calls, release };
}

test('answers every path by the deadline, hung ones as timeouts', async () => {
  const hung = new Set(['/a', '/b', '/c', '/d', '/e', '/f']);
  const fake = fakeStatfs(hung);
  const statter = new MountStatter(fake.fn, 4, 200, silentLogger);
  const t0 = performance.now();
  const out = await statter.statAll(['/ok', '/a', '/b', '/c', '/d', '/e', '/f', '/missing'], t0 + 200);
  const elapsed = performance.now() - t0;
  assert.ok(elapsed < 400, `took ${elapsed} ms`);
  assert.equal(out.get('/ok')?.kind, 'ok');
  assert.equal(out.get('/missing')?.kind, 'error');
  for (const p of hung) assert.equal(out.get(p)?.kind, 'timeout', p);
});

test('at most one call per path is outstanding, across scrapes', async () => {
  const fake = fakeStatfs(new Set(['/hung']));
  const statter = new MountStatter(fake.fn, 4, 50, silentLogger);
  await Promise.all([statter.statAll(['/hung', '/hung'], performance.now() + 100), statter.statAll(['/hung'], performance.now() + 100)]);
  for (let i = 0; i < 20; i++) {
    const out = await statter.statAll(['/hung'], performance.now() + 100);
    assert.equal(out.get('/hung')?.kind, 'timeout');
  }
  assert.deepEqual(
    fake.calls.filter((c) => c === '/hung'),
    ['/hung'],
  );
  assert.equal(statter.outstanding, 1);
});

test('a stuck path is reported at once, and measured again once its call returns', async () => {
  const fake = fakeStatfs(new Set(['/hung']));
  const statter = new MountStatter(fake.fn, 1, 50, silentLogger);
  await statter.statAll(['/hung'], performance.now() + 100); // marks it stuck after 50 ms
  // Waiting for it again would take until this deadline: 5 s, far above the bound below, so
  // a loaded machine's late timers cannot pass for it, nor make a prompt answer look late.
  const t0 = performance.now();
  const again = await statter.statAll(['/hung'], performance.now() + 5000);
  assert.equal(again.get('/hung')?.kind, 'timeout');
  assert.ok(performance.now() - t0 < 1000, 'a stuck mount must not be waited for again');
  fake.release('/hung');
  await new Promise((r) => setImmediate(r));
  const healed = await statter.statAll(['/hung'], performance.now() + 1000);
  assert.equal(healed.get('/hung')?.kind, 'ok');
  assert.equal(statter.outstanding, 0);
});

test('hung calls give up their worker slot, so healthy mounts are still measured', async () => {
  const hung = new Set(['/h1', '/h2']);
  const fake = fakeStatfs(hung);
  const statter = new MountStatter(fake.fn, 2, 50, silentLogger);
  await statter.statAll(['/h1', '/h2'], performance.now() + 100);
  const out = await statter.statAll(['/h1', '/h2', '/ok1', '/ok2', '/ok3'], performance.now() + 100);
  assert.equal(out.get('/ok1')?.kind, 'ok');
  assert.equal(out.get('/ok3')?.kind, 'ok');
  assert.equal(out.get('/h2')?.kind, 'timeout');
});
