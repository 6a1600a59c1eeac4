import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monotonicMs } from '../../src/clock.js';
import { limiter, processes, scanProcesses, STATS_PER_TRIP } from '../../src/collectors/processes.js';
import { silentLogger } from '../../src/logger.js';
import { Paths } from '../../src/paths.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { fixturePath } from '../helpers/repo.js';
import { collectWith } from '../helpers/series.js';

const never = () => new AbortController().signal;
const stat = (pid: number, state: string, threads: number) =>
  `${pid} (p${pid}) ${state} 1 ${pid} ${pid} 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 ${threads} 0 1 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n`;

/** A scratch /proc: entries maps relative paths to file contents (directories are created). */
function scratchProc(entries: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'nets-proc-'));
  for (const [rel, text] of Object.entries(entries)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

async function collect(procfs: string): Promise<Map<string, number>> {
  const c = processes.create({ paths: new Paths({ procfs }), logger: silentLogger, options: new Map(), explicit: new Set() });
  const out = new Map<string, number>();
  for (const f of await collectWith(c, { signal: never(), deadline: monotonicMs() + 5000 })) {
    assert.equal(f.type, 'gauge');
    for (const s of f.samples) out.set(`${f.name}${JSON.stringify(s.labels)}`, s.value);
  }
  return out;
}

test('processes on the fixture tree: states, thread states, limits', async () => {
  const m = await collect(fixturePath('proc'));
  assert.deepEqual(Object.fromEntries(m), {
    'node_processes_threads{}': 9,
    'node_processes_max_threads{}': 253261,
    'node_processes_state{"state":"S"}': 4,
    'node_processes_state{"state":"I"}': 1,
    'node_processes_state{"state":"Z"}': 1,
    // The main thread counts with its process's state; the others from task/<tid>/stat.
    'node_processes_threads_state{"thread_state":"S"}': 5,
    'node_processes_threads_state{"thread_state":"I"}': 1,
    'node_processes_threads_state{"thread_state":"R"}': 1,
    'node_processes_threads_state{"thread_state":"D"}': 1,
    'node_processes_threads_state{"thread_state":"Z"}': 1,
    'node_processes_pids{}': 6,
    'node_processes_max_processes{}': 4194304,
  });
});

test('processes and threads that vanish mid-scan are skipped, not errors', async () => {
  const root = scratchProc({
    '10/stat': stat(10, 'S', 2),
    '10/task/10/stat': stat(10, 'S', 2),
    // Thread 11 is listed but gone by the time its stat is read.
    '10/task/11/status': 'gone\n',
    // Process 20 exited between the /proc listing and the stat read: only its dir is left.
    '20/status': 'gone\n',
    // Process 30 has its stat but no task directory any more.
    '30/stat': stat(30, 'R', 1),
    'sys/kernel/threads-max': '100\n',
    'sys/kernel/pid_max': '32768\n',
  });
  try {
    const scan = await scanProcesses(new Paths({ procfs: root }), never());
    assert.deepEqual(scan, {
      pids: 2,
      threads: 3,
      states: new Map([
        ['S', 1],
        ['R', 1],
      ]),
      threadStates: new Map([['S', 1]]),
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('many processes: every one counted, across trips of STATS_PER_TRIP files', async () => {
  const entries: Record<string, string> = {};
  for (let pid = 100; pid < 100 + 3 * STATS_PER_TRIP + 5; pid++) {
    entries[`${pid}/stat`] = stat(pid, pid % 2 === 0 ? 'S' : 'R', 2);
    entries[`${pid}/task/${pid}/stat`] = stat(pid, 'S', 2);
    entries[`${pid}/task/${pid + 10000}/stat`] = stat(pid + 10000, 'D', 2);
  }
  const root = scratchProc(entries);
  try {
    const n = 3 * STATS_PER_TRIP + 5;
    const scan = await scanProcesses(new Paths({ procfs: root }), never(), 2);
    assert.equal(scan.pids, n);
    assert.equal(scan.threads, 2 * n);
    assert.deepEqual(
      scan.states,
      new Map([
        ['S', Math.ceil(n / 2)],
        ['R', Math.floor(n / 2)],
      ]),
    );
    assert.equal(scan.threadStates.get('D'), n);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a malformed stat or a missing limit fails the collector', async () => {
  const bad = scratchProc({ '10/stat': '10 (x) S 1 2\n', 'sys/kernel/threads-max': '1\n', 'sys/kernel/pid_max': '1\n' });
  const noLimit = scratchProc({ '10/stat': stat(10, 'S', 1), 'sys/kernel/pid_max': '1\n' });
  const unreadable = scratchProc({ 'sys/kernel/threads-max': '1\n', 'sys/kernel/pid_max': '1\n' });
  mkdirSync(path.join(unreadable, '10', 'stat'), { recursive: true }); // EISDIR is not "vanished"
  try {
    await assert.rejects(collect(bad), (err: unknown) => err instanceof ParseError && err.message.includes(path.join(bad, '10', 'stat')));
    const code = (want: string, file: string) => (err: unknown) => (err as NodeJS.ErrnoException).code === want && (err as Error).message.includes(file);
    await assert.rejects(collect(noLimit), code('ENOENT', 'threads-max'));
    await assert.rejects(collect(unreadable), code('EISDIR', path.join('10', 'stat')));
  } finally {
    for (const d of [bad, noLimit, unreadable]) rmSync(d, { recursive: true, force: true });
  }
});

test('limiter: never more than max tasks at once, all of them run', async () => {
  const run = limiter(32, never());
  let active = 0;
  let peak = 0;
  const results = await Promise.all(
    Array.from({ length: 500 }, (_, i) =>
      run(async () => {
        peak = Math.max(peak, ++active);
        await new Promise((r) => setTimeout(r, i % 3));
        active--;
        return i;
      }),
    ),
  );
  assert.equal(peak, 32);
  assert.deepEqual(
    results,
    Array.from({ length: 500 }, (_, i) => i),
  );
});

test('limiter: once aborted, queued tasks do not run', async () => {
  const abort = new AbortController();
  const run = limiter(1, abort.signal);
  let ran = 0;
  const first = run(async () => {
    abort.abort(new Error('stop'));
    ran++;
  });
  const second = run(async () => {
    ran++;
  });
  await first;
  await assert.rejects(second, /stop/);
  assert.equal(ran, 1);
});

test('the host /proc while processes come and go: never fails', { skip: !existsSync('/proc/self/stat') && 'no /proc here' }, async () => {
  const children = Array.from({ length: 40 }, () => spawn(process.execPath, ['-e', ''], { stdio: 'ignore' }));
  try {
    for (let i = 0; i < 10; i++) {
      const scan = await scanProcesses(new Paths({ procfs: '/proc' }), never());
      assert.ok(scan.pids >= 1 && scan.threads >= scan.pids);
    }
  } finally {
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.on('exit', r)))));
  }
});
