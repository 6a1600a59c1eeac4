#!/usr/bin/env -S MALLOC_ARENA_MAX=1 node --max-semi-space-size=2 --heap-growing-percent=30 --v8-pool-size=1 --no-maglev
// The settings (here, in `npm start` and in the image's entrypoint), measured in README "Memory":
// - V8's young generation capped at 2 MiB per semi-space. Scrapes allocate in short bursts; left
//   alone, V8 sizes new space from the host's memory (Node 24 far more generously) and keeps what
//   it grew.
// - The old generation may grow to 1.3x what survived the last full collection (or by V8's
//   minimum step) before the next one, instead of V8's factor of up to 4x for a heap as small as
//   ours: what a burst of scrapes promotes is collected rather than kept as heap.
// - One V8 worker thread for its background work: a scrape's slow tail is time spent waiting
//   for one of few CPUs.
// - No Maglev (V8's mid-tier compiler, on by default from Node 22; Node 20 lacks it anyway): on
//   Node 24 its compilations, queued for that one thread, held up to 18 MiB of compiler memory at
//   once, and the burst's peak RSS was ~20 MiB higher with it, CPU per scrape the same.
// - One malloc arena: glibc otherwise gives each thread that allocates (V8's compiler and GC
//   threads, the addon's pool) an arena of its own, each keeping what it once held.
// Flags given later (NODE_OPTIONS is read first) do not override them; run `node dist/bin/node-exporter.js`
// to go without. Settings that differ between V8 versions are set as main() starts (src/v8-tuning.ts).
import { ConfigError } from './collector.js';
import { collectorDefinitions } from './collectors/index.js';
import { parseConfig } from './config.js';
import { createLogger } from './logger.js';
import { packageVersion, startExporter } from './app.js';
import { logHostLimits } from './host-limits.js';
import { tuneV8 } from './v8-tuning.js';

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseConfig(argv, collectorDefinitions, packageVersion());
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`node-exporter: error: ${err.message}, try --help\n`);
      return 1;
    }
    throw err;
  }
  if (parsed.exitText !== undefined) {
    process.stdout.write(parsed.exitText);
    return 0;
  }
  const config = parsed.config;
  if (config === undefined) return 1;
  const logger = createLogger(config.log.level, config.log.format);
  const v8Flags = tuneV8();
  logger.info('Starting node-exporter-ts', { version: packageVersion(), node: process.version });
  if (logger.debugEnabled) logger.debug('V8 settings for this Node.js', { flags: v8Flags.join(' ') });
  if (process.getuid?.() === 0) {
    logger.warn('Running as root. The exporter is designed to run as an unprivileged user; root is not required.');
  }
  // Signals are caught from here on, so one that arrives while we start up still stops us
  // cleanly once listening (rather than killing the process with the default action).
  let requested: NodeJS.Signals | undefined;
  let onSignal = (signal: NodeJS.Signals): void => {
    requested ??= signal;
  };
  process.on('SIGTERM', (s) => onSignal(s));
  process.on('SIGINT', (s) => onSignal(s));

  let exporter;
  try {
    exporter = await startExporter(config, collectorDefinitions, logger);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (err instanceof ConfigError) logger.error(err.message);
    else if (e.code === 'EADDRINUSE') logger.error('address already in use', { address: `${(e as { address?: string }).address ?? ''}:${(e as { port?: number }).port ?? ''}` });
    else logger.error('failed to start', { err });
    return 1;
  }
  void logHostLimits(config, logger);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info('Shutting down', { signal });
      exporter.close().then(
        () => resolve(0),
        (err: unknown) => {
          logger.error('error while shutting down', { err });
          resolve(1);
        },
      );
    };
    onSignal = stop;
    if (requested !== undefined) stop(requested);
  });
}

main(process.argv.slice(2)).then(
  // A statfs stuck on a dead mount holds a native thread; leave without waiting for it.
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`node-exporter: fatal: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
