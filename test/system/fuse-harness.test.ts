/**
 * Proves the FUSE fixtures of test/helpers/fuse.ts (root only; skipped with the reason otherwise).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import {
  abortFuseConnection,
  fuseAvailable,
  fusectlDir,
  isMounted,
  makeFuseRoot,
  mountAt,
  mountHungFuse,
  mountHungFuses,
  releaseAllFuse,
  startStatfsFuse,
  type FuseStatfsValues,
} from '../helpers/fuse.js';

after(releaseAllFuse);

interface Done {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Starts a command; `done` settles when it exits. kill() is SIGKILL (statfs waits are killable). */
function start(cmd: string, args: string[]): { done: Promise<Done>; exited: () => boolean; kill: () => void } {
  const t0 = Date.now();
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let finished = false;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Done>((resolve) => {
    child.on('error', (e) => {
      finished = true;
      resolve({ code: null, signal: null, stdout, stderr: stderr + e.message, ms: Date.now() - t0 });
    });
    child.on('close', (code, signal) => {
      finished = true;
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
  return { done, exited: () => finished, kill: () => void child.kill('SIGKILL') };
}

const sleep = (ms: number): Promise<'timeout'> => new Promise((r) => setTimeout(() => r('timeout'), ms));
/** Like sleep, but does not keep the process alive (for Promise.race). */
const deadline = (ms: number): Promise<'timeout'> => new Promise((r) => setTimeout(() => r('timeout'), ms).unref());

/** Resolves to the result, or SIGKILLs the command after `ms` and resolves to its (killed) result. */
async function within(p: ReturnType<typeof start>, ms: number): Promise<Done & { timedOut: boolean }> {
  const r = await Promise.race([p.done, deadline(ms)]);
  if (r !== 'timeout') return { ...r, timedOut: false };
  p.kill();
  return { ...(await p.done), timedOut: true };
}

// ENOTCONN when the request was still waiting for FUSE_INIT; ECONNABORTED if it had been sent.
const ABORTED = /Transport endpoint is not connected|Software caused connection abort/;

test('hung FUSE mounts block statfs until released', { timeout: 10_000 }, async (t) => {
  const reason = fuseAvailable();
  if (reason) {
    t.skip(reason);
    return;
  }
  const root = makeFuseRoot();
  try {
    const mounts = await mountHungFuses(root, 8);
    assert.equal(mounts.length, 8);
    for (const m of mounts) {
      const e = mountAt(m.dir);
      assert.ok(e, `${m.dir} in mountinfo`);
      assert.equal(e.fsType, 'fuse');
      assert.equal(e.source, 'ntsfuse');
    }
    assert.equal(new Set(mounts.map((m) => m.connectionId)).size, 8, 'distinct connection ids');

    // A statfs with a timeout: killed by the timeout, never completed.
    const killed = await within(start('stat', ['-f', mounts[0]!.dir]), 1000);
    assert.equal(killed.timedOut, true, `stat -f returned within 1 s: ${JSON.stringify(killed)}`);
    assert.equal(killed.signal, 'SIGKILL');

    // One blocked statfs per mount, still blocked after 1 s...
    const waiting = mounts.map((m) => start('stat', ['-f', '-c', '%b', m.dir]));
    await sleep(1000);
    assert.deepEqual(
      waiting.map((w) => w.exited()),
      mounts.map(() => false),
      'statfs on a hung mount returned within 1 s',
    );

    // ...until release(): each then fails with ENOTCONN, and the mounts are gone.
    await Promise.all(mounts.map((m) => m.release()));
    const results = await Promise.all(waiting.map((w) => within(w, 3000)));
    for (const r of results) {
      assert.equal(r.timedOut, false, 'statfs still blocked after release()');
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, ABORTED);
    }
    const mountpoints = new Set(mounts.map((m) => m.dir));
    const left = fs
      .readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .filter((l) => mountpoints.has(l.split(' ')[4] ?? ''));
    assert.deepEqual(left, [], 'mounts left in /proc/self/mountinfo');
    await Promise.all(mounts.map((m) => m.release())); // idempotent
  } finally {
    await root.cleanup();
  }
  assert.equal(fs.existsSync(root.root), false, 'temp root removed');
});

test('connectionId names the connection in fusectl (abort through it)', { timeout: 10_000 }, async (t) => {
  const reason = fuseAvailable();
  if (reason) {
    t.skip(reason);
    return;
  }
  const root = makeFuseRoot();
  let ownCtl: string | undefined;
  try {
    let ctl = fusectlDir();
    if (ctl === undefined) {
      // Not mounted on this machine: mount our own instance (fusectl is a single superblock).
      ownCtl = root.dir('fusectl');
      const r = spawnSync('mount', ['-i', '-t', 'fusectl', 'nts-fusectl', ownCtl], { encoding: 'utf8', timeout: 5000 });
      if (r.status !== 0) {
        t.skip(`cannot mount fusectl: ${(r.stderr || '').trim()}`);
        return;
      }
      ctl = ownCtl;
    }
    const m = await mountHungFuse(root.dir('hung'));
    assert.ok(fs.existsSync(path.join(ctl, String(m.connectionId), 'abort')), `${ctl}/${m.connectionId}/abort exists`);
    const w = start('stat', ['-f', m.dir]);
    assert.equal((await Promise.race([w.done, deadline(500)])) === 'timeout', true, 'statfs blocked');
    assert.equal(abortFuseConnection(m.connectionId), true);
    const r = await within(w, 3000);
    assert.equal(r.timedOut, false, 'statfs still blocked after abort');
    assert.match(r.stderr, ABORTED);
    await m.release();
    assert.equal(isMounted(m.dir), false);
  } finally {
    if (ownCtl !== undefined && isMounted(ownCtl)) spawnSync('umount', ['-l', '-i', '-c', ownCtl], { timeout: 5000 });
    await root.cleanup();
  }
});

const STATS: FuseStatfsValues = {
  bsize: 1048576,
  frsize: 4096,
  blocks: 1000000,
  bfree: 600000,
  bavail: 500000,
  files: 200000,
  ffree: 150000,
  namelen: 255,
};

test('statfs FUSE server reports the configured numbers; stop() unmounts', { timeout: 10_000 }, async (t) => {
  const reason = fuseAvailable();
  if (reason) {
    t.skip(reason);
    return;
  }
  const root = makeFuseRoot();
  try {
    const fx = await startStatfsFuse(root.dir('statfs'), STATS);
    const e = mountAt(fx.dir);
    assert.ok(e, 'mounted');
    assert.equal(e.fsType, 'fuse');
    assert.equal(e.source, 'ntsfuse');

    const st = await within(start('stat', ['-f', '-c', '%S %s %b %f %a %c %d %l', fx.dir]), 5000);
    assert.equal(st.code, 0, st.stderr);
    assert.equal(st.stdout.trim(), '4096 1048576 1000000 600000 500000 200000 150000 255');

    const df = await within(start('df', ['-B1', '--output=size', fx.dir]), 5000);
    assert.equal(df.code, 0, df.stderr);
    assert.equal(df.stdout.trim().split('\n').at(-1)?.trim(), String(1000000 * 4096));

    // The root directory answers GETATTR.
    const sr = await within(start('stat', ['-c', '%F %a %u %g %i', fx.dir]), 5000);
    assert.equal(sr.code, 0, sr.stderr);
    assert.equal(sr.stdout.trim(), 'directory 755 0 0 1');

    await fx.stop();
    assert.equal(isMounted(fx.dir), false, 'stop() unmounted');
    assert.throws(() => process.kill(fx.pid, 0), /ESRCH/, 'server process gone');
    await fx.stop(); // idempotent
  } finally {
    await root.cleanup();
  }
});

test('statfs FUSE server: u64 extremes, subtype and source', { timeout: 10_000 }, async (t) => {
  const reason = fuseAvailable();
  if (reason) {
    t.skip(reason);
    return;
  }
  const root = makeFuseRoot();
  try {
    // Beyond Number.MAX_SAFE_INTEGER (bigint all the way to the kernel). stat(1) prints the block
    // counts as signed, so stay below 2^63 for those; the inode counts are printed unsigned.
    const blocks = 2n ** 53n + 1n;
    const fx = await startStatfsFuse(
      root.dir('big'),
      { ...STATS, blocks, bfree: blocks - 2n, bavail: 0, files: 2n ** 64n - 1n, ffree: 0 },
      { source: 'nts-big', subtype: 'ntstest' },
    );
    const e = mountAt(fx.dir);
    assert.equal(e?.fsType, 'fuse.ntstest');
    assert.equal(e?.source, 'nts-big');
    const st = await within(start('stat', ['-f', '-c', '%b %f %a %c %d', fx.dir]), 5000);
    assert.equal(st.code, 0, st.stderr);
    assert.equal(st.stdout.trim(), `${blocks} ${blocks - 2n} 0 ${2n ** 64n - 1n} 0`);
    await fx.stop();
    assert.equal(isMounted(fx.dir), false);
  } finally {
    await root.cleanup();
  }
});

/** The process no longer runs: it does not exist or is a zombie. */
function processGone(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/**
 * A test process that ends without cleaning up (process.exit without release/stop, or SIGKILL)
 * leaves no mount behind: the exit hook, or else the detached reaper and the statfs server
 * itself (stdin EOF), unmount everything.
 */
for (const mode of ['exit', 'SIGKILL'] as const) {
  test(`no mounts left behind when the test process ends by ${mode}`, { timeout: 10_000 }, async (t) => {
    const reason = fuseAvailable();
    if (reason) {
      t.skip(reason);
      return;
    }
    const helper = new URL('../helpers/fuse.js', import.meta.url).href;
    const script = `
      import { makeFuseRoot, mountHungFuse, startStatfsFuse } from ${JSON.stringify(helper)};
      const root = makeFuseRoot();
      const h = await mountHungFuse(root.dir('hung'));
      const s = await startStatfsFuse(root.dir('statfs'), ${JSON.stringify(STATS)});
      console.log(JSON.stringify({ root: root.root, dirs: [h.dir, s.dir], pid: s.pid }));
      if (${JSON.stringify(mode)} === 'exit') process.exit(0);
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const info = await new Promise<{ root: string; dirs: string[]; pid: number } | undefined>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line) as { root: string; dirs: string[]; pid: number });
      });
      child.on('close', () => resolve(undefined));
    });
    try {
      assert.ok(info, `child failed: ${err}`);
      if (mode === 'SIGKILL') {
        for (const d of info.dirs) assert.equal(isMounted(d), true, `${d} mounted before the kill`);
        child.kill('SIGKILL');
      }
      const t0 = Date.now();
      while (info.dirs.some(isMounted) && Date.now() - t0 < 5000) await sleep(50);
      assert.deepEqual(info.dirs.filter(isMounted), [], 'mounts left behind');
      // The orphaned server is reaped by pid 1 (or a subreaper), which may take a while: a zombie counts as gone.
      while (!processGone(info.pid) && Date.now() - t0 < 5000) await sleep(50);
      assert.equal(processGone(info.pid), true, 'statfs server still running');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (info) {
        for (const d of info.dirs) {
          if (isMounted(d)) spawnSync('umount', ['-l', '-i', '-c', d], { timeout: 5000 });
          try {
            fs.rmdirSync(d);
          } catch {
            // leave it
          }
        }
        try {
          fs.rmdirSync(info.root);
        } catch {
          // leave it
        }
      }
    }
  });
}
