/**
 * Last-resort cleanup for the FUSE fixtures of test/helpers/fuse.ts.
 *
 * test/helpers/fuse.ts starts one of these per test process (detached, in its own session, so
 * a Ctrl-C or a kill of the test's process group does not reach it) and tells it on stdin,
 * one JSON object per line, which mounts exist:
 *   {"op":"add","dir":"/tmp/nts-fuse-x/hung0","device":"0:41","conn":41}
 *   {"op":"del","dir":"/tmp/nts-fuse-x/hung0"}
 * When stdin reaches EOF (the test process exited, however it died), every mount still listed
 * whose mountinfo device is unchanged gets its connection aborted (through fusectl, when mounted)
 * and is lazily unmounted; then the reaper exits. Normally the list is empty by then.
 *
 * Only active with the --reaper argument: `node --test dist/test/` runs every .js file under a
 * directory named test, and then this file must do nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

interface Entry {
  dir: string;
  device: string;
  conn: number;
}

const escapeMountField = (s: string): string => s.replace(/[\\ \t\n]/g, (ch) => `\\${ch.charCodeAt(0).toString(8).padStart(3, '0')}`);

function mountinfo(): string[][] {
  try {
    return fs
      .readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' '));
  } catch {
    return [];
  }
}

function reap(entries: Iterable<Entry>): void {
  const mi = mountinfo();
  const ctl = mi.find((f) => f[f.indexOf('-', 6) + 1] === 'fusectl')?.[4];
  for (const e of entries) {
    const want = escapeMountField(e.dir);
    const mine = mi.filter((f) => f[4] === want && f[2] === e.device);
    if (mine.length === 0) continue;
    if (ctl !== undefined) {
      try {
        fs.writeFileSync(path.join(ctl, String(e.conn), 'abort'), '1');
      } catch {
        // gone, or no fusectl entry
      }
    }
    spawnSync('umount', ['-l', '-i', '-c', e.dir], { stdio: 'ignore', timeout: 10_000 });
  }
}

function main(): void {
  const live = new Map<string, Entry>();
  let pending = '';
  const onLine = (line: string): void => {
    if (!line.trim()) return;
    try {
      const msg = JSON.parse(line) as { op?: string; dir?: string; device?: string; conn?: number };
      if (typeof msg.dir !== 'string') return;
      if (msg.op === 'add' && typeof msg.device === 'string' && typeof msg.conn === 'number') {
        live.set(msg.dir, { dir: msg.dir, device: msg.device, conn: msg.conn });
      } else if (msg.op === 'del') {
        live.delete(msg.dir);
      }
    } catch {
      // ignore garbage
    }
  };
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    onLine(pending);
    reap(live.values());
    process.exit(0);
  };
  process.on('SIGINT', () => {});
  process.on('SIGHUP', () => {});
  process.on('SIGTERM', finish);
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      onLine(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
  });
  process.stdin.on('end', finish);
  process.stdin.on('error', finish);
}

if (process.argv[2] === '--reaper') main();
