/**
 * --web.systemd-socket as systemd starts it: a socket already listening on fd 3, LISTEN_FDS=1
 * and LISTEN_PID set to the exporter's pid (python3 stands in for systemd: it binds, then execs
 * the exporter in the same process). --web.listen-address is ignored then.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { cliPath, runCli } from '../helpers/exporter.js';

const ACTIVATE = `
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
s.listen(16)
print(s.getsockname()[1], flush=True)
os.dup2(s.fileno(), 3)
os.set_inheritable(3, True)
os.environ["LISTEN_FDS"] = "1"
os.environ["LISTEN_PID"] = str(os.getpid())
os.execv(sys.argv[1], sys.argv[1:])
`;

test('--web.systemd-socket serves on the socket systemd passed, not on --web.listen-address', { timeout: 30_000 }, async (t) => {
  if (spawnSync('python3', ['--version']).error !== undefined) return t.skip('python3 (standing in for systemd) is not installed');
  const child = spawn(
    'python3',
    ['-c', ACTIVATE, process.execPath, cliPath, '--web.systemd-socket', '--web.listen-address=127.0.0.1:1', '--collector.disable-defaults', '--collector.loadavg'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  t.after(() => child.kill('SIGTERM'));
  let out = '';
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const port = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
  for (const t0 = Date.now(); !/msg="Listening on"/.test(out); ) {
    if (Date.now() - t0 > 10_000 || child.exitCode !== null) assert.fail(`exporter did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.match(out, new RegExp(`msg="Listening on" address=127\\.0\\.0\\.1:${port}`));
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  assert.match(text, /node_scrape_collector_success\{collector="loadavg"\} 1/);
});

test('--web.systemd-socket without activation: exit 1 with the reason, before listening', async () => {
  const { code, output } = await runCli(['--web.systemd-socket', '--collector.disable-defaults']);
  assert.equal(code, 1);
  assert.match(output, /no socket activation file descriptors found/);
});
