import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { startExporterProcess } from '../helpers/exporter.js';

/**
 * Series churn, as on a Kubernetes node: between every two scrapes 50 dummy interfaces (in a
 * network namespace of the test's own; deleted and created, or renamed) and 50 tmpfs mounts (in
 * the exporter's private mount namespace) are replaced by 50 new ones, for 2,000 scrapes. Removed series must be gone from
 * the next scrape, new ones present in it, and the series cache and RSS flat after warm-up.
 */
const SCRAPES = 2000;
const CHURN = 50;

function blocker(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (network and mount namespaces)';
  for (const cmd of ['ip', 'unshare', 'nsenter', 'python3']) {
    if (spawnSync(cmd, ['--version']).error !== undefined) return `needs ${cmd}`;
  }
  return undefined;
}

/** Mounts and unmounts tmpfs from inside the exporter's mount namespace, one process for all. */
const MOUNTER = `
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
for line in sys.stdin:
    op, arg = line.split()
    if op == 'sync':
        print('ok', flush=True)
        continue
    if op == 'mount':
        os.makedirs(arg, exist_ok=True)
        r = libc.mount(b'ntschurn', arg.encode(), b'tmpfs', 0, b'size=64k')
    else:
        r = libc.umount2(arg.encode(), 2)
    if r != 0:
        print('error', op, arg, os.strerror(ctypes.get_errno()), flush=True)
`;

function rssKiB(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

test('2,000 scrapes with 50 interfaces and 50 mounts replaced between each: series follow, cache and RSS flat', { timeout: 600_000 }, async (t) => {
  const why = blocker();
  if (why !== undefined) return t.skip(why);
  const ns = `nts-churn-${process.pid}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'nts-churn-'));
  // The exporter reads <procfs>/1/mountinfo; here that is its own (private) mount table.
  const procfs = path.join(dir, 'proc');
  execFileSync('mkdir', ['-p', procfs]);
  symlinkSync('/proc/self', path.join(procfs, '1'));
  execFileSync('ip', ['netns', 'add', ns]);
  // The exporter must stay reachable on loopback, so it keeps the test's network namespace and
  // reads the churned one's /proc/net/dev through a process living there (netdev's file mode).
  const holder = spawn('ip', ['netns', 'exec', ns, 'sleep', '3600'], { stdio: 'ignore' });
  symlinkSync(`/proc/${holder.pid ?? 0}/net`, path.join(procfs, 'net'));
  let exporter;
  let mounter: ReturnType<typeof spawn> | undefined;
  try {
    exporter = await startExporterProcess(
      [
        `--path.procfs=${procfs}`,
        '--collector.disable-defaults',
        '--collector.filesystem',
        '--collector.netdev',
        '--no-collector.netdev.netlink',
        '--log.level=debug',
        `--collector.filesystem.mount-points-include=^${dir}/`,
      ],
      ['unshare', '--mount', '--propagation', 'private'],
    );
    const pid = exporter.child.pid ?? 0;
    mounter = spawn('nsenter', ['-t', String(pid), '-m', 'python3', '-c', MOUNTER], { stdio: ['pipe', 'pipe', 'inherit'] });
    const replies = createInterface({ input: mounter.stdout ?? process.stdin })[Symbol.asyncIterator]();
    const mounts = async (lines: string[]) => {
      mounter?.stdin?.write(`${[...lines, 'sync x'].join('\n')}\n`);
      const r = await replies.next();
      assert.equal(r.value, 'ok', `mounter: ${String(r.value)}`);
    };
    // Dummy interfaces where the kernel has them; a bridge is as cheap where it does not (this VM).
    const kind = spawnSync('ip', ['-n', ns, 'link', 'add', 'probe0', 'type', 'dummy']).status === 0 ? 'dummy' : 'bridge';
    spawnSync('ip', ['-n', ns, 'link', 'del', 'probe0']);
    const links = (cmds: string[]) => execFileSync('ip', ['-n', ns, '-batch', '-'], { input: `${cmds.join('\n')}\n` });

    let prev: string[] = [];
    const rss: number[] = [];
    for (let i = 0; i < SCRAPES; i++) {
      const names = Array.from({ length: CHURN }, (_, k) => `c${i}x${k}`);
      // Deleting links costs the kernel an RCU grace period (about a second per batch in this
      // VM), so every 100th round deletes and creates 50 interfaces (one batch, by group) and the
      // rounds between rename them: either way 50 names vanish and 50 new ones appear.
      if (i % 100 === 0) {
        if (prev.length > 0) links(['link del group 7']);
        links(names.map((n) => `link add ${n} group 7 type ${kind}`));
      } else {
        links(prev.map((n, k) => `link set dev ${n} name ${names[k] ?? ''}`));
      }
      await mounts([...prev.map((n) => `umount ${dir}/${n}`), ...names.map((n) => `mount ${dir}/${n}`)]);
      const body = await (await fetch(`${exporter.base}/metrics`)).text();
      for (const n of names) {
        assert.ok(body.includes(`node_network_receive_bytes_total{device="${n}"} `), `scrape ${i}: interface ${n} missing`);
        assert.ok(body.includes(`mountpoint="${dir}/${n}"} `), `scrape ${i}: mount ${n} missing`);
      }
      for (const n of prev) {
        assert.ok(!body.includes(`device="${n}"`), `scrape ${i}: removed interface ${n} still served`);
        assert.ok(!body.includes(`mountpoint="${dir}/${n}"`), `scrape ${i}: removed mount ${n} still served`);
      }
      prev = names;
      if (i % 100 === 99) rss.push(rssKiB(pid));
    }
    const cached = [...exporter.logs().matchAll(/msg="scrape assembled" .*series_cached=(\d+)/g)].map((m) => Number(m[1]));
    assert.equal(cached.length, SCRAPES);
    const warm = Math.max(...cached.slice(100, 200));
    const late = Math.max(...cached.slice(SCRAPES - 500));
    t.diagnostic(
      `${kind} interfaces; series cached: ${cached[0]} first, max ${warm} over scrapes 100-200, max ${late} over the last 500; RSS (MiB) every 100 scrapes: ${rss.map((k) => (k / 1024).toFixed(0)).join(' ')}`,
    );
    // Two generations of ~2 × 50 churned series per family plus the stable ones: never growing.
    assert.ok(late <= warm, `series cache grew from ${warm} to ${late}`);
    // Flat after warm-up: the peak of the last 500 scrapes against the peak of scrapes 500-1,500
    // (V8 sizes its heap in steps, so single readings jump by several MiB either way).
    const middle = Math.max(...rss.slice(4, 15));
    const last = Math.max(...rss.slice(15));
    assert.ok(last - middle < 12 * 1024, `RSS peak grew from ${middle} KiB (scrapes 500-1,500) to ${last} KiB (last 500)`);
  } finally {
    mounter?.stdin?.end();
    await exporter?.stop();
    holder.kill();
    spawnSync('ip', ['netns', 'del', ns]);
    rmSync(dir, { recursive: true, force: true });
  }
});
