import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import {
  readFiles,
  readText,
  readTexts,
  readTextThen,
  getrlimit,
  trimHeap,
  nativeReadCache,
  nativeThreads,
  RLIMIT_RESOURCES,
  ST_RDONLY,
  STATFS_PENDING,
  statfs,
  statfsAt,
  statfsBatch,
  statfsError,
  SyscallError,
  sysinfo,
  uname,
  type RlimitResource,
  type Statfs,
} from '../src/native.js';
import { repoRoot } from './helpers/repo.js';
import { fuseAvailable, makeFuseRoot, mountHungFuses, startStatfsFuse, type FuseRoot } from './helpers/fuse.js';

const isRoot = process.getuid?.() === 0;
/** The compiled module, for child processes and worker threads. */
const nativeModuleUrl = new URL('../src/native.js', import.meta.url).href;

type StatfsNoFlags = Omit<Statfs, 'flags'>;

/** coreutils' view of statfs(2): `stat -f` has no format for f_flags. */
function statF(p: string): StatfsNoFlags {
  const out = execFileSync('stat', ['-f', '-c', '%t %S %s %b %f %a %c %d %l', p], { encoding: 'utf8' });
  const [type, frsize, bsize, blocks, bfree, bavail, files, ffree, namelen] = out.trim().split(' ');
  return {
    type: parseInt(type ?? '', 16),
    frsize: Number(frsize),
    bsize: Number(bsize),
    blocks: Number(blocks),
    bfree: Number(bfree),
    bavail: Number(bavail),
    files: Number(files),
    ffree: Number(ffree),
    namelen: Number(namelen),
  };
}

function withoutFlags(s: Statfs): StatfsNoFlags {
  const { flags: _flags, ...rest } = s;
  return rest;
}

async function waitFor(what: string, ok: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!ok()) {
    if (performance.now() > until) assert.fail(`timed out waiting for ${what} (threads: ${JSON.stringify(nativeThreads())})`);
    await sleep(10);
  }
}

/** Runs `fn` with a fresh directory for FUSE mounts, or skips saying why FUSE fixtures can't run. */
async function withFuseRoot(t: TestContext, fn: (root: FuseRoot) => Promise<void>): Promise<void> {
  const why = fuseAvailable();
  if (why !== undefined) {
    t.skip(why);
    return;
  }
  const root = makeFuseRoot('nts-native-');
  try {
    await fn(root);
  } finally {
    await root.cleanup();
  }
}

/** Runs `node -e script` and returns its stdout, asserting that it exited by itself with 0. */
function runNode(script: string, timeoutMs = 10_000): string {
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: timeoutMs });
  assert.equal(r.signal, null, `the child did not exit by itself or died (${r.signal}): ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const limitValue = (s: string): number => (s === 'unlimited' ? Infinity : Number(s));

/** /proc/self/limits rows by the kernel's name ("Max open files"), in the kernel's units. */
function procLimits(): Map<string, { soft: number; hard: number }> {
  const rows = new Map<string, { soft: number; hard: number }>();
  for (const line of fs.readFileSync('/proc/self/limits', 'utf8').split('\n').slice(1)) {
    const m = /^(\S+(?: \S+)*)\s{2,}(\S+)\s+(\S+)/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined && m[3] !== undefined) {
      rows.set(m[1], { soft: limitValue(m[2]), hard: limitValue(m[3]) });
    }
  }
  return rows;
}

const PROC_LIMIT_NAMES: Record<RlimitResource, string> = {
  cpu: 'Max cpu time',
  fsize: 'Max file size',
  data: 'Max data size',
  stack: 'Max stack size',
  core: 'Max core file size',
  rss: 'Max resident set',
  nproc: 'Max processes',
  nofile: 'Max open files',
  memlock: 'Max locked memory',
  as: 'Max address space',
  locks: 'Max file locks',
  sigpending: 'Max pending signals',
  msgqueue: 'Max msgqueue size',
  nice: 'Max nice priority',
  rtprio: 'Max realtime priority',
  rttime: 'Max realtime timeout',
};

test('statfs("/") matches stat -f', async () => {
  const got = await statfs('/');
  const want = statF('/');
  // The free counts move with whatever else writes to the disk meanwhile.
  for (const k of ['type', 'frsize', 'bsize', 'blocks', 'files', 'namelen'] as const) assert.equal(got[k], want[k], k);
  for (const k of ['bfree', 'bavail'] as const) assert.ok(Math.abs(got[k] - want[k]) <= Math.max(1024, want.blocks / 100), k);
  assert.ok(Math.abs(got.ffree - want.ffree) <= Math.max(1024, want.files / 100), 'ffree');
  assert.ok(Number.isInteger(got.flags));
});

test('statfs of a fresh tmpfs matches stat -f exactly, and reports ST_RDONLY', async (t) => {
  if (!isRoot) {
    t.skip('needs root: mounts a tmpfs');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nts-native-tmpfs-'));
  try {
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64m,nr_inodes=4096', 'nts-native', dir], { encoding: 'utf8' });
    if (m.status !== 0) {
      t.skip(`cannot mount tmpfs: ${(m.stderr || m.error?.message || '').trim()}`);
      return;
    }
    try {
      const got = await statfs(dir);
      assert.deepEqual(withoutFlags(got), statF(dir));
      assert.equal(got.type, 0x01021994); // TMPFS_MAGIC
      assert.equal(got.blocks * got.frsize, 64 * 1024 * 1024);
      assert.equal(got.files, 4096);
      assert.equal(got.flags & ST_RDONLY, 0);
      execFileSync('mount', ['-o', 'remount,ro', dir]);
      assert.equal((await statfs(dir)).flags & ST_RDONLY, ST_RDONLY);
    } finally {
      spawnSync('umount', [dir]);
    }
  } finally {
    fs.rmdirSync(dir);
  }
});

test('statfs reports bsize and frsize apart (FUSE server with bsize != frsize)', (t) =>
  withFuseRoot(t, async (root) => {
    const values = { bsize: 65536, frsize: 512, blocks: 1000000, bfree: 600000, bavail: 500000, files: 1000, ffree: 900, namelen: 200 };
    const fuse = await startStatfsFuse(root.dir('sizes'), values);
    try {
      const got = await statfs(fuse.dir);
      assert.deepEqual(withoutFlags(got), { type: 0x65735546 /* FUSE_SUPER_MAGIC */, ...values });
      assert.deepEqual(withoutFlags(got), statF(fuse.dir));
    } finally {
      await fuse.stop();
    }
  }));

test('statfs errors are SyscallErrors carrying the errno name, number, syscall and path', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nts-native-err-'));
  try {
    const missing = path.join(dir, 'missing');
    await assert.rejects(statfs(missing), (err: unknown) => {
      assert.ok(err instanceof SyscallError);
      assert.equal(err.name, 'SyscallError');
      assert.equal(err.message, 'No such file or directory');
      assert.equal(err.code, 'ENOENT');
      assert.equal(err.errno, os.constants.errno.ENOENT);
      assert.equal(err.syscall, 'statfs');
      assert.equal(err.path, missing);
      return true;
    });
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, '');
    await assert.rejects(statfs(path.join(file, 'below')), { name: 'SyscallError', code: 'ENOTDIR', errno: os.constants.errno.ENOTDIR });
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test('statfs through a directory we may not search rejects with EACCES', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nts-native-acces-'));
  try {
    fs.chmodSync(dir, 0o000);
    const target = path.join(dir, 'x');
    if (!isRoot) {
      await assert.rejects(statfs(target), { name: 'SyscallError', code: 'EACCES', message: 'Permission denied' });
      return;
    }
    // Root bypasses permission checks: ask as nobody, in a child with dropped privileges.
    const nativeJs = new URL('../src/native.js', import.meta.url).href;
    const script = `import(${JSON.stringify(nativeJs)}).then((m) => m.statfs(${JSON.stringify(target)})).then(
      () => console.log('resolved'), (e) => console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })))`;
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { name: 'SyscallError', code: 'EACCES', message: 'Permission denied' });
  } finally {
    fs.chmodSync(dir, 0o700);
    fs.rmdirSync(dir);
  }
});

test('bad arguments are rejected in JS with TypeError / RangeError', async () => {
  await assert.rejects(statfs(42 as unknown as string), TypeError);
  await assert.rejects(statfs(undefined as unknown as string), TypeError);
  await assert.rejects(statfs(''), RangeError);
  await assert.rejects(statfs('/tmp\0/etc'), RangeError);
  await assert.rejects(getrlimit(7 as unknown as RlimitResource), TypeError);
  await assert.rejects(getrlimit('bogus' as RlimitResource), RangeError);
  await assert.rejects(getrlimit('toString' as RlimitResource), RangeError);
});

test('sysinfo matches /proc/meminfo, /proc/loadavg and /proc/uptime', async () => {
  const loadavg = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  const uptime = Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const s = await sysinfo();
  const meminfo = fs.readFileSync('/proc/meminfo', 'utf8');
  const kib = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(meminfo)?.[1]) * 1024;
  assert.equal(s.totalram, kib('MemTotal'));
  assert.equal(s.totalswap, kib('SwapTotal'));
  s.loads.forEach((load, i) => assert.ok(Math.abs(load - (loadavg[i] ?? NaN)) <= 0.5, `load ${i}: ${load} vs ${loadavg[i]}`));
  assert.ok(Math.abs(s.uptime - uptime) <= 2, `uptime ${s.uptime} vs ${uptime}`);
  assert.ok(s.freeram <= s.totalram && s.freeswap <= s.totalswap);
  assert.ok(s.procs > 0 && s.memUnit >= 1);
});

test('getrlimit("nofile") matches the shell ulimit of a child (which inherits ours)', async () => {
  const [soft, hard] = execFileSync('sh', ['-c', 'ulimit -Sn; ulimit -Hn'], { encoding: 'utf8' }).trim().split('\n');
  assert.deepEqual(await getrlimit('nofile'), { soft: limitValue(soft ?? ''), hard: limitValue(hard ?? '') });
});

test('getrlimit matches /proc/self/limits for every resource, Infinity for unlimited', async () => {
  const want = procLimits();
  for (const resource of Object.keys(RLIMIT_RESOURCES) as RlimitResource[]) {
    assert.deepEqual(await getrlimit(resource), want.get(PROC_LIMIT_NAMES[resource]), resource);
  }
});

test('uname matches uname(1) and /proc/sys/kernel/domainname', async () => {
  const u = await uname();
  const cmd = (flag: string): string => execFileSync('uname', [flag], { encoding: 'utf8' }).replace(/\n$/, '');
  assert.equal(u.sysname, cmd('-s'));
  assert.equal(u.nodename, cmd('-n'));
  assert.equal(u.release, cmd('-r'));
  assert.equal(u.version, cmd('-v'));
  assert.equal(u.machine, cmd('-m'));
  assert.equal(u.domainname, fs.readFileSync('/proc/sys/kernel/domainname', 'utf8').replace(/\n$/, ''));
});

test('200 concurrent statfs calls resolve; spare threads beyond the idle cap go away', async () => {
  const want = await statfs('/');
  const results = await Promise.all(Array.from({ length: 200 }, () => statfs('/')));
  for (const r of results) assert.equal(r.blocks, want.blocks);
  assert.ok(nativeThreads().live <= 200, JSON.stringify(nativeThreads()));
  await waitFor('the pool to settle', () => {
    const n = nativeThreads();
    // The elastic pool keeps at most 8 idle threads (kMaxIdle); the bounded one has at most 4 in all.
    return n.pending === 0 && n.live <= 12 && n.idle === n.live;
  });
});

test('readFiles/readTexts: reads of one tick share a trip, and each gets its own files, bytes and errors back', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nts-read-'));
  try {
    fs.writeFileSync(path.join(dir, 'a'), 'alpha\n');
    fs.writeFileSync(path.join(dir, 'empty'), '');
    fs.writeFileSync(path.join(dir, 'utf8'), 'µs → “quoted”');
    fs.writeFileSync(path.join(dir, 'big'), 'x'.repeat(5000));
    const p = (n: string) => path.join(dir, n);
    const [one, two, three] = await Promise.all([
      readTexts([p('a'), p('missing'), p('empty')], 4096),
      readFiles([p('utf8'), p('a')], 4096),
      readTexts([p('big'), p('utf8')], 4096),
    ]);
    assert.equal(one?.[0], 'alpha\n');
    assert.ok(one?.[1] instanceof SyscallError);
    const missing = one?.[1] as SyscallError;
    assert.equal(missing.code, 'ENOENT');
    assert.match(missing.message, new RegExp(`^read ${p('missing')}: No such file or directory$`));
    assert.equal(one?.[2], '');
    assert.deepEqual(
      two?.map((b) => (Buffer.isBuffer(b) ? b.toString('utf8') : b)),
      ['µs → “quoted”', 'alpha\n'],
    );
    const tooBig = three?.[0] as SyscallError;
    assert.equal(tooBig.code, 'EFBIG', 'over the limit');
    assert.equal(three?.[1], 'µs → “quoted”');
    // A frozen list (as Paths.sysFilePaths gives) is joined once and sent as the same string:
    // read twice in one trip and again in the next, beside single files, each gets its own.
    const kept = Object.freeze([p('a'), p('utf8')]);
    for (let round = 0; round < 2; round++) {
      const [k1, single, k2, none] = await Promise.all([readTexts(kept, 4096), readText(p('empty'), 4096), readTexts(kept, 4096), readText(p('missing'), 4096)]);
      assert.deepEqual(k1, ['alpha\n', 'µs → “quoted”']);
      assert.deepEqual(k2, ['alpha\n', 'µs → “quoted”']);
      assert.equal(single, '');
      assert.equal((none as SyscallError).code, 'ENOENT');
    }
    // readTextThen: what `then` makes of the text settles its promise; a `then` that throws
    // rejects its own read and no other in the trip.
    const [thrown, plain, made, missingMade] = await Promise.all([
      readTextThen(
        p('a'),
        4096,
        false,
        () => {
          throw new Error('parse failed');
        },
        undefined,
      ).catch((err: unknown) => err),
      readText(p('utf8'), 4096),
      readTextThen(p('a'), 4096, false, (text, file, arg) => [text, file, arg], 7),
      readTextThen(p('missing'), 4096, false, (text) => (text instanceof SyscallError ? text.code : 'read'), undefined),
    ]);
    assert.equal((thrown as Error).message, 'parse failed');
    assert.equal(plain, 'µs → “quoted”');
    assert.deepEqual(made, ['alpha\n', p('a'), 7]);
    assert.equal(missingMade, 'ENOENT');
    await assert.rejects(readTexts([p('a'), `${p('a')}\0${p('utf8')}`], 4096), RangeError);
    await assert.rejects(readTexts(Object.freeze([p('a'), '']), 4096), RangeError);
    await assert.rejects(readText(42 as unknown as string, 4096), TypeError);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('procfs files stay open between reads and are re-read afresh; regular files are not kept', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nts-kept-'));
  try {
    const plain = path.join(dir, 'plain');
    fs.writeFileSync(plain, 'one\n');
    const before = nativeReadCache().files;
    const first = await readTexts(['/proc/uptime', plain], 4096);
    const kept = nativeReadCache().files;
    assert.equal(kept, before + 1, 'only /proc/uptime is kept open');
    // (The listing's own descriptor is gone by the time it is looked at.)
    const fds = fs.readdirSync('/proc/self/fd').flatMap((fd) => {
      try {
        return [fs.readlinkSync(`/proc/self/fd/${fd}`, { encoding: 'utf8' })];
      } catch {
        return [];
      }
    });
    assert.ok(fds.includes('/proc/uptime'), 'its descriptor is open');
    fs.writeFileSync(plain, 'two\n');
    await sleep(30); // /proc/uptime moves every 10 ms
    const second = await readTexts(['/proc/uptime', plain], 4096);
    assert.equal(nativeReadCache().files, kept, 'the kept descriptor is reused, not another opened');
    assert.notEqual(second[0], first[0], 'a kept procfs file is regenerated on each read');
    assert.match(String(second[0]), /^\d+\.\d+ \d+\.\d+\n$/);
    assert.equal(second[1], 'two\n');
    // Files under a process's directory are read the plain way.
    await readTexts([`/proc/${process.pid}/stat`], 4096);
    assert.equal(nativeReadCache().files, kept);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('with no descriptor left (EMFILE), kept descriptors are closed so the read still gets its file', () => {
  // In a child: it lowers its own RLIMIT_NOFILE and fills its descriptor table.
  const script = `
    import fs from 'node:fs';
    import { execFileSync } from 'node:child_process';
    import { readTexts, nativeReadCache } from ${JSON.stringify(path.join(repoRoot, 'dist', 'src', 'native.js'))};
    const names = ['loadavg', 'uptime', 'version', 'meminfo', 'stat', 'vmstat'].map((n) => '/proc/' + n);
    await readTexts(names, 1 << 20);
    const kept = nativeReadCache().files;
    execFileSync('prlimit', ['--pid', String(process.pid), '--nofile=256:256']);
    const filler = [];
    for (;;) {
      try { filler.push(fs.openSync('/dev/null', 'r')); } catch (e) { if (e.code !== 'EMFILE') throw e; break; }
    }
    const [text] = await readTexts(['/proc/self/status', '/proc/loadavg'], 1 << 20);
    const after = nativeReadCache().files;
    filler.forEach((fd) => fs.closeSync(fd));
    console.log(JSON.stringify({ kept, after, ok: typeof text === 'string' && text.startsWith('Name:'), filler: filler.length }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { kept: number; after: number; ok: boolean; filler: number };
  assert.ok(out.kept >= 6, `six procfs files kept (${out.kept})`);
  assert.ok(out.filler > 0);
  assert.ok(out.ok, 'the file was read although the table was full');
  assert.ok(out.after < out.kept, `kept descriptors were given up (${out.kept} → ${out.after})`);
});

test('1000 concurrent small reads queue on the bounded pool instead of starting a thread each', async () => {
  const before = nativeThreads().live;
  const reads = await Promise.all(Array.from({ length: 1000 }, () => readFiles(['/proc/loadavg'], 4096)));
  for (const [r] of reads) assert.ok(Buffer.isBuffer(r));
  const after = nativeThreads().live;
  assert.ok(after - before <= 4, `threads went from ${before} to ${after}`);
});

test('a bare script exits by itself: the addon holds the loop only while a call is pending', () => {
  const url = JSON.stringify(nativeModuleUrl);
  assert.equal(runNode(`import(${url}).then((m) => m.statfs('/')).then((r) => console.log(r.frsize))`), `${statF('/').frsize}\n`);
  assert.equal(runNode(`import(${url}).then((m) => console.log(m.nativeThreads().pending))`), '0\n');
});

test('hung statfs calls hold neither other calls nor the libuv threadpool', (t) =>
  withFuseRoot(t, async (root) => {
    // More than libuv's 4 threadpool threads.
    const hung = await mountHungFuses(root, 6);
    const before = nativeThreads();
    const stuck = hung.map((m) =>
      statfs(m.dir).then(
        () => undefined,
        (err: unknown) => err,
      ),
    );
    await waitFor('6 calls to be in the kernel', () => nativeThreads().pending >= before.pending + 6);

    const started = performance.now();
    assert.equal((await statfs('/')).frsize, statF('/').frsize);
    await Promise.all([sysinfo(), uname(), getrlimit('nofile'), fs.promises.stat('/'), fs.promises.readFile('/proc/self/limits')]);
    assert.ok(performance.now() - started < 2000, 'other calls waited behind the hung ones');
    assert.ok(nativeThreads().live >= 6);

    // Aborting the connections lets the stuck threads return with an error.
    await Promise.all(hung.map((m) => m.release()));
    for (const [i, err] of (await Promise.all(stuck)).entries()) {
      assert.ok(err instanceof SyscallError, String(err));
      assert.equal(err.syscall, 'statfs');
      assert.equal(err.path, hung[i]?.dir);
    }
    await waitFor('the pool to settle', () => nativeThreads().pending === before.pending);
  }));

test('statfsBatch: every path as statfs reports it, errors by errno, in one trip', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nts-batch-'));
  try {
    // /proc and /sys: counts that never move, so they can be compared exactly.
    const paths = ['/proc', dir, path.join(dir, 'missing'), '/sys', '/proc'];
    const r = await statfsBatch(paths, 2).done;
    assert.equal(r.started, paths.length);
    for (const i of [0, 3, 4]) {
      assert.equal(r.status[i], 0, paths[i]);
      assert.deepEqual(withoutFlags(statfsAt(r.stats, i)), statF(paths[i] ?? ''), paths[i]);
      assert.deepEqual(statfsAt(r.stats, i), await statfs(paths[i] ?? ''));
    }
    // On a disk others write to meanwhile: the sizes, not the free counts.
    assert.equal(r.status[1], 0);
    const want = await statfs(dir);
    for (const k of ['type', 'frsize', 'bsize', 'blocks', 'files', 'namelen', 'flags'] as const) assert.equal(statfsAt(r.stats, 1)[k], want[k], k);
    assert.equal(r.status[2], 2, 'ENOENT');
    const err = statfsError(paths[2] ?? '', r.status[2] ?? 0);
    assert.ok(err instanceof SyscallError);
    assert.deepEqual([err.code, err.errno, err.syscall, err.path, err.message], ['ENOENT', 2, 'statfs', paths[2], 'No such file or directory']);
    assert.throws(() => statfsBatch([], 1), TypeError);
    assert.throws(() => statfsBatch(['/', 'a\0b'], 1), RangeError);
    assert.throws(() => statfsBatch(['/'], 0), RangeError);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test('statfsBatch: hung paths hold only their own worker; rescue replaces them so the paths after them are measured', (t) =>
  withFuseRoot(t, async (root) => {
    const hung = await mountHungFuses(root, 3);
    const healthy = ['/proc', '/', os.tmpdir(), '/sys', '/'];
    // One worker, hung paths first: without rescue nothing after them would ever be measured.
    const paths = [...hung.map((m) => m.dir), ...healthy];
    const before = nativeThreads();
    const batch = statfsBatch(paths, 1);
    let settled = false;
    const done = batch.done.then((r) => {
      settled = true;
      return r;
    });
    await waitFor('the worker to be stuck on the first path', () => nativeThreads().pending >= before.pending + 1);
    await sleep(50);
    assert.equal(batch.peek().started, 1, 'a single worker took only the first (hung) path');
    // Each rescue replaces the workers stuck for longer than the hold: one new hung path each time.
    await waitFor(
      'the healthy paths to be measured',
      () => {
        batch.rescue(20);
        return batch
          .peek()
          .status.slice(hung.length)
          .every((s) => s === 0);
      },
      10_000,
    );
    const r = batch.peek();
    assert.equal(batch.rescue(20), 0, 'every path taken');
    for (let i = 0; i < hung.length; i++) assert.equal(r.status[i], STATFS_PENDING, `${paths[i]} still in the kernel`);
    assert.deepEqual(withoutFlags(statfsAt(r.stats, hung.length)), statF('/proc'));
    assert.equal(settled, false, 'the batch is not done while a path hangs');
    // Threads parked in the kernel: one per hung path, no more, however often rescue runs.
    for (let i = 0; i < 20; i++) batch.rescue(0);
    await sleep(50);
    assert.equal(nativeThreads().pending - before.pending, hung.length, JSON.stringify(nativeThreads()));

    await Promise.all(hung.map((m) => m.release()));
    const final = await done;
    for (let i = 0; i < hung.length; i++) assert.ok((final.status[i] ?? 0) > 0, `${paths[i]} returned an error once aborted`);
    await waitFor('the pool to settle', () => nativeThreads().pending === before.pending);
  }));

test('a worker_thread terminated while its call is stuck leaves the process sound', (t) =>
  withFuseRoot(t, async (root) => {
    const [hung] = await mountHungFuses(root, 1);
    assert.ok(hung);
    const before = nativeThreads().pending;
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       import(workerData.url).then((m) => {
         m.statfs(workerData.dir).catch(() => {});
         parentPort.postMessage('submitted');
       });`,
      { eval: true, workerData: { url: nativeModuleUrl, dir: hung.dir } },
    );
    await once(worker, 'message');
    await waitFor('the worker call to be in the kernel', () => nativeThreads().pending > before);
    await worker.terminate();
    // The stuck thread now returns into a torn-down environment and must drop its result quietly.
    await hung.release();
    await waitFor('the stuck call to come back', () => nativeThreads().pending === before);
    assert.equal((await statfs('/')).frsize, statF('/').frsize);
  }));

test('worker_threads that load the addon and exit mid-call leave the process sound', () => {
  // In a child whose main thread never loads the addon: when the last worker using it goes,
  // Node dlclose()s it while pool threads may still be running its code, unless it is pinned.
  const workerSource = `const { workerData } = require('node:worker_threads');
    import(workerData.url).then((m) => {
      for (let j = 0; j < 200; j++) m.statfs('/').catch(() => {});
      if (workerData.i % 2) process.exit(0); else setImmediate(() => process.exit(0));
    });`;
  const script = `const { Worker } = require('node:worker_threads');
    const { once } = require('node:events');
    (async () => {
      for (let i = 0; i < 30; i++) {
        const workerData = { url: ${JSON.stringify(nativeModuleUrl)}, i };
        await once(new Worker(${JSON.stringify(workerSource)}, { eval: true, workerData }), 'exit');
      }
      setTimeout(() => console.log('ok'), 200);
    })();`;
  assert.equal(runNode(script, 30_000), 'ok\n');
});

test('process.exit with a call stuck in the kernel exits cleanly', (t) =>
  withFuseRoot(t, async (root) => {
    const [hung] = await mountHungFuses(root, 1);
    assert.ok(hung);
    const script = `import(${JSON.stringify(nativeModuleUrl)}).then((m) => {
      m.statfs(${JSON.stringify(hung.dir)}).catch(() => {});
      setTimeout(() => { console.log(m.nativeThreads().pending); process.exit(0); }, 200);
    })`;
    // The call keeps the loop alive; process.exit must still leave promptly and cleanly.
    assert.equal(runNode(script), '1\n');
  }));

/** Resident KiB of the C heap (the [heap] mapping): what malloc took with brk. */
function heapResidentKiB(): number {
  let inHeap = false;
  let kib = 0;
  for (const line of fs.readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) inHeap = line.trimEnd().endsWith('[heap]');
    else if (inHeap && line.startsWith('Rss:')) kib += Number(line.split(/\s+/)[1]);
  }
  return kib;
}

test('trimHeap gives the kernel back C heap pages freed below the top', async (t) => {
  const first = await trimHeap();
  if (!first.supported) return t.skip('not glibc: trimHeap does nothing here');
  assert.equal(typeof first.released, 'boolean');
  assert.ok(first.seconds >= 0 && first.seconds < 5, String(first.seconds));
  // 48 MiB of 64 KiB buffers (under glibc's mmap threshold: from the brk heap), each written,
  // then one more kept so the freed ones are not at the heap's top, which glibc trims by itself.
  v8.setFlagsFromString('--expose-gc');
  // A plain gc(): gc({ type: 'major' }) leaves ArrayBuffer backing stores allocated (Node.js 20).
  const gc = vm.runInNewContext('gc') as () => void;
  let buffers: Buffer[] | undefined = Array.from({ length: 768 }, () => Buffer.alloc(64 * 1024, 1));
  const pin = Buffer.alloc(64 * 1024, 2);
  const held = heapResidentKiB();
  assert.equal(buffers.length, 768);
  buffers = undefined;
  // Backing stores are freed by V8's sweeper, possibly a little after the GC.
  let after = held;
  for (let i = 0; i < 50 && after >= held - 16 * 1024; i++) {
    gc();
    await sleep(20);
    await trimHeap();
    after = heapResidentKiB();
  }
  assert.ok(after < held - 16 * 1024, `[heap] resident ${held} KiB with the buffers, ${after} KiB after they were freed and the heap trimmed`);
  assert.equal(pin[0], 2);
});
