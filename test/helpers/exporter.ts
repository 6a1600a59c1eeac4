import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './repo.js';

/** The CLI as shipped: the bundle `npm run build` makes of dist/src (the package's bin, npm start, the image). */
export const cliPath = path.join(repoRoot, 'dist', 'bin', 'node-exporter.js');

/**
 * How the CLI's shebang line runs it (`#!/usr/bin/env -S MALLOC_ARENA_MAX=1 node --max-semi-space-size=2 ...`):
 * the environment it sets and the node flags, what `./cli.js`, `npm start` and the image run it
 * with. Tests (and the benches) run the CLI the same way, so memory figures are those of the
 * exporter as shipped (without the flags Node 24 sizes its heap far more generously: a 1,000-mount
 * churn test plateaued at 275 MiB of RSS rather than 170).
 */
export interface CliLaunch {
  readonly env: Readonly<Record<string, string>>;
  readonly nodeFlags: readonly string[];
}

/** The environment and node flags of a cli.js's shebang line (benches read other builds' too). */
export function parseShebang(file: string): CliLaunch {
  const first = readFileSync(file, 'utf8').split('\n', 1)[0] ?? '';
  const m = /^#!\S*env -S((?: [A-Z_]+=\S+)*) node((?: --[\w-]+(?:=\S+)?)*)\s*$/.exec(first);
  if (m === null) throw new Error(`${file}: unexpected shebang ${JSON.stringify(first)}`);
  const words = (text: string | undefined) => (text ?? '').split(' ').filter((w) => w !== '');
  const env: Record<string, string> = {};
  for (const assignment of words(m[1])) {
    const eq = assignment.indexOf('=');
    env[assignment.slice(0, eq)] = assignment.slice(eq + 1);
  }
  return { env, nodeFlags: words(m[2]) };
}

export const cliLaunch = parseShebang(cliPath);
export const cliNodeFlags = cliLaunch.nodeFlags;

/** The environment to run the CLI in: ours plus what its shebang sets. */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...cliLaunch.env, ...extra };
}

export interface ExporterProcess {
  child: ChildProcess;
  /** e.g. http://127.0.0.1:34567 (https://… when the web config enables TLS) */
  base: string;
  logs(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the real CLI on a free loopback port and resolves once it listens.
 * `runner` lets a test wrap the command (e.g. in `unshare -m`).
 */
export function startExporterProcess(args: readonly string[], runner: readonly string[] = []): Promise<ExporterProcess> {
  const cmd = [...runner, process.execPath, ...cliNodeFlags, cliPath, '--web.listen-address=127.0.0.1:0', ...args];
  const child = spawn(cmd[0] ?? process.execPath, cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: cliEnv() });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`exporter did not start in 10 s; output:\n${out}`));
    }, 10_000);
    const onData = () => {
      const m = /msg="Listening on" address=([\d.]+:\d+)/.exec(out);
      if (m === null) return;
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      resolve({
        child,
        // --web.config.file with tls_server_config: the exporter logs "TLS is enabled." first.
        base: `${/msg="TLS is enabled\."/.test(out) ? 'https' : 'http'}://${m[1] ?? ''}`,
        logs: () => out,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exporter exited with ${String(code)} before listening; output:\n${out}`));
    });
  });
}

/** Runs the CLI to completion (for bad-flag tests): exit code and output. */
export function runCli(args: readonly string[], timeoutMs = 10_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...cliNodeFlags, cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: cliEnv() });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Parses exposition text into "name{labels}" → value, ignoring comments. */
export function parseExposition(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}
