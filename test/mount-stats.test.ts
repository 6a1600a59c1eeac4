import assert from 'node:assert/strict';
import os from 'node:os';
import { test } from 'node:test';
import { monotonicMs } from '../src/clock.js';
import { setTimeout as delay } from 'node:timers/promises';
import { silentLogger } from '../src/logger.js';
import { batchOverStatfs, MountStatter } from '../src/mount-stats.js';
import { nativeThreads, statfsBatch, type Statfs } from '../src/native.js';
import { fuseAvailable, makeFuseRoot, mountHungFuses } from './helpers/fuse.js';

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
  const statter = new MountStatter(batchOverStatfs(fake.fn), 4, 200, silentLogger);
  const t0 = monotonicMs();
  const out = await statter.statAll(['/ok', '/a', '/b', '/c', '/d', '/e', '/f', '/missing'], t0 + 200);
  const elapsed = monotonicMs() - t0;
  assert.ok(elapsed < 400, `took ${elapsed} ms`);
  assert.equal(out.get('/ok')?.kind, 'ok');
  assert.equal(out.get('/missing')?.kind, 'error');
  for (const p of hung) assert.equal(out.get(p)?.kind, 'timeout', p);
});

test('at most one call per path is outstanding, across scrapes', async () => {
  const fake = fakeStatfs(new Set(['/hung']));
  const statter = new MountStatter(batchOverStatfs(fake.fn), 4, 50, silentLogger);
  await Promise.all([statter.statAll(['/hung', '/hung'], monotonicMs() + 100), statter.statAll(['/hung'], monotonicMs() + 100)]);
  for (let i = 0; i < 20; i++) {
    const out = await statter.statAll(['/hung'], monotonicMs() + 100);
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
  const statter = new MountStatter(batchOverStatfs(fake.fn), 1, 50, silentLogger);
  await statter.statAll(['/hung'], monotonicMs() + 100); // marks it stuck after 50 ms
  // Waiting for it again would take until this deadline: 5 s, far above the bound below, so
  // a loaded machine's late timers cannot pass for it, nor make a prompt answer look late.
  const t0 = monotonicMs();
  const again = await statter.statAll(['/hung'], monotonicMs() + 5000);
  assert.equal(again.get('/hung')?.kind, 'timeout');
  assert.ok(monotonicMs() - t0 < 1000, 'a stuck mount must not be waited for again');
  fake.release('/hung');
  await new Promise((r) => setImmediate(r));
  const healed = await statter.statAll(['/hung'], monotonicMs() + 1000);
  assert.equal(healed.get('/hung')?.kind, 'ok');
  assert.equal(statter.outstanding, 0);
});

test('hung calls give up their worker slot, so healthy mounts are still measured', async () => {
  const hung = new Set(['/h1', '/h2']);
  const fake = fakeStatfs(hung);
  const statter = new MountStatter(batchOverStatfs(fake.fn), 2, 50, silentLogger);
  await statter.statAll(['/h1', '/h2'], monotonicMs() + 100);
  const out = await statter.statAll(['/h1', '/h2', '/ok1', '/ok2', '/ok3'], monotonicMs() + 100);
  assert.equal(out.get('/ok1')?.kind, 'ok');
  assert.equal(out.get('/ok3')?.kind, 'ok');
  assert.equal(out.get('/h2')?.kind, 'timeout');
});

test('over the native batch: hung FUSE paths hold neither the paths after them nor later scrapes, and heal when their call returns', async (t) => {
  const why = fuseAvailable();
  if (why !== undefined) return t.skip(`needs root with /dev/fuse: ${why}`);
  const root = makeFuseRoot('nts-statter-');
  try {
    const hung = await mountHungFuses(root, 2);
    const healthy = ['/proc', '/sys', '/', os.tmpdir()];
    // Hung paths first: three workers, two of them stuck; the third measures the rest at once.
    const paths = [...hung.map((m) => m.dir), ...healthy];
    const statter = new MountStatter(statfsBatch, 3, 1500, silentLogger);
    const before = nativeThreads().pending;
    const t0 = monotonicMs();
    const first = await statter.statAll(paths, t0 + 1500);
    for (const p of healthy) assert.equal(first.get(p)?.kind, 'ok', p);
    for (const m of hung) assert.equal(first.get(m.dir)?.kind, 'timeout', m.dir);
    assert.equal(statter.outstanding, 2, 'only the hung paths are outstanding');
    // Later scrapes: hung paths reported at once (far below this 10 s deadline), no new call.
    for (let i = 0; i < 5; i++) {
      const t1 = monotonicMs();
      const again = await statter.statAll(paths, t1 + 10_000);
      assert.ok(monotonicMs() - t1 < 5000, `scrape ${i + 2} waited for a stuck mount`);
      for (const m of hung) assert.equal(again.get(m.dir)?.kind, 'timeout');
      for (const p of healthy) assert.equal(again.get(p)?.kind, 'ok', p);
    }
    // The worker that measured the healthy paths may not have counted its call out yet when the
    // scrape has its answers (a CI run under load saw 3 here): give it a moment, not a pass.
    for (const until = monotonicMs() + 2000; nativeThreads().pending - before > 2 && monotonicMs() < until; ) await delay(10);
    assert.equal(nativeThreads().pending - before, 2, 'one parked thread per hung mount');
    // One mount answers (its connection is aborted, then it is unmounted): a later scrape
    // measures its path again instead of reporting the old call's timeout.
    await hung[0]?.release();
    let healed;
    for (let i = 0; i < 50 && healed?.kind !== 'ok'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      healed = (await statter.statAll(paths, monotonicMs() + 10_000)).get(hung[0]?.dir ?? '');
    }
    assert.equal(healed?.kind, 'ok', 'measured again: the directory under the mount that went');
    assert.equal(statter.outstanding, 1);
  } finally {
    await root.cleanup();
  }
});
