import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import type { TestContext } from 'node:test';
import { parseExposition, startExporterProcess } from './exporter.js';

/** The reference exporter: Debian's node_exporter 1.5.0, or NODE_EXPORTER_BIN. */
export const NODE_EXPORTER = process.env.NODE_EXPORTER_BIN ?? 'prometheus-node-exporter';

/** Why the reference exporter can't run here, or undefined when it can. */
export function nodeExporterMissing(): string | undefined {
  const help = spawnSync(NODE_EXPORTER, ['--help'], { encoding: 'utf8', timeout: 10_000 });
  return help.error === undefined ? undefined : `${NODE_EXPORTER} is not installed (apt-get install prometheus-node-exporter, or set NODE_EXPORTER_BIN)`;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Series keys of the families matching `families`, labels sorted, so two exporters' texts compare. */
export function seriesKeys(text: string, families: RegExp): string[] {
  return [...parseExposition(text).keys()]
    .map((k) => (k.includes('{') ? k : `${k}{}`))
    .filter((k) => families.test(k))
    .map((k) => {
      const [name, rest] = [k.slice(0, k.indexOf('{')), k.slice(k.indexOf('{') + 1, -1)];
      const labels = [...rest.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => `${m[1]}=${m[2]}`).sort();
      return `${name}{${labels.join(',')}}`;
    })
    .sort();
}

export interface BothScrapes {
  theirs: string;
  ours: string;
  ourLogs: string;
}

export interface ScrapeBothOptions {
  /** More flags, given to both. */
  args?: readonly string[];
  /** A command both run under (e.g. unshare -m with a mount made first); it must exec its arguments. */
  runner?: readonly string[];
}

/**
 * Starts the reference exporter and ours on loopback with only `collectors` enabled and scrapes
 * each once. Both are stopped when the test ends.
 */
export async function scrapeBoth(t: TestContext, collectors: readonly string[], extra: ScrapeBothOptions = {}): Promise<BothScrapes> {
  const args = ['--collector.disable-defaults', ...collectors.map((c) => `--collector.${c}`), ...(extra.args ?? [])];
  const runner = extra.runner ?? [];
  const port = await freePort();
  const theirCmd = [...runner, NODE_EXPORTER, ...args, `--web.listen-address=127.0.0.1:${port}`];
  const theirs = spawn(theirCmd[0] ?? NODE_EXPORTER, theirCmd.slice(1), { stdio: 'ignore' });
  t.after(() => theirs.kill('SIGTERM'));
  const ours = await startExporterProcess(args, runner);
  t.after(() => ours.stop());
  let theirText: string | undefined;
  for (const t0 = Date.now(); theirText === undefined && Date.now() - t0 < 10_000; ) {
    try {
      theirText = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  if (theirText === undefined) throw new Error(`${NODE_EXPORTER} did not answer`);
  return { theirs: theirText, ours: await (await fetch(`${ours.base}/metrics`)).text(), ourLogs: ours.logs() };
}
