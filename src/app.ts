import { readFileSync, stat } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { ConfigError, type Collector, type CollectorDefinition } from './collector.js';
import { parseListenAddress, type Config } from './config.js';
import { systemdListeners } from './server/systemd-socket.js';
import type { Logger } from './logger.js';
import { Paths } from './paths.js';
import { Scraper } from './scrape.js';
import { MetricsServer } from './server/http.js';
import { SelfMetrics, type BuildInfo } from './server/self-metrics.js';
import { WebAccess } from './server/web-access.js';
import { WebConfigSource } from './server/web-config-source.js';

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Builds every enabled collector; a bad collector flag is a ConfigError naming the collector. */
export function buildCollectors(config: Config, definitions: readonly CollectorDefinition[], paths: Paths, logger: Logger): Map<string, Collector> {
  const out = new Map<string, Collector>();
  const enabledCollectors = new Set([...config.collectors].filter(([, cc]) => cc.enabled).map(([name]) => name));
  for (const def of definitions) {
    const cc = config.collectors.get(def.name);
    if (cc === undefined || !cc.enabled) continue;
    try {
      out.set(def.name, def.create({ paths, logger: logger.with({ collector: def.name }), options: cc.options, explicit: cc.explicit, enabledCollectors }));
    } catch (err) {
      if (err instanceof ConfigError) throw new ConfigError(`collector ${def.name}: ${err.message}`);
      throw err;
    }
  }
  return out;
}

export interface RunningExporter {
  addresses: AddressInfo[];
  scraper: Scraper;
  close(): Promise<void>;
}

/** Starts an exporter from a Config: collectors, scraper and HTTP listeners. */
export async function startExporter(
  config: Config,
  definitions: readonly CollectorDefinition[],
  logger: Logger,
  build: BuildInfo = { version: packageVersion(), revision: 'unknown', branch: 'unknown' },
): Promise<RunningExporter> {
  const paths = new Paths(config.roots);
  const collectors = buildCollectors(config, definitions, paths, logger);
  logger.info('Enabled collectors', { collectors: [...collectors.keys()].sort().join(',') });
  const minIntervals = new Map([...config.collectors].filter(([name, cc]) => collectors.has(name) && cc.minIntervalMs > 0).map(([name, cc]) => [name, cc.minIntervalMs]));
  if (minIntervals.size > 0) logger.info('Collectors run at most once per min-interval', { intervals: [...minIntervals].map(([n, ms]) => `${n}=${ms / 1000}s`).join(',') });
  const scraper = new Scraper(collectors, logger, minIntervals);
  // A bad web config file (unknown key, unreadable certificate, bad hash) throws ConfigError: exit 1.
  const webConfig = config.web.configFile === undefined ? undefined : WebConfigSource.load(config.web.configFile);
  const tlsEnabled = webConfig?.current().tls !== undefined;
  const server = new MetricsServer({
    web: config.web,
    scraper,
    self: new SelfMetrics(build, !config.web.disableExporterMetrics),
    logger,
    ...(webConfig === undefined ? {} : { access: new WebAccess(() => webConfig.current(), logger), ...(tlsEnabled ? { tls: webConfig } : {}) }),
  });
  let listeners = config.web.listenAddresses.map(parseListenAddress);
  if (config.web.systemdSocket) {
    listeners = systemdListeners(process.env, process.pid);
    // Ours alone: processes we might start must not take them for theirs (sd_listen_fds' unset_environment).
    for (const name of ['LISTEN_PID', 'LISTEN_FDS', 'LISTEN_FDNAMES']) delete process.env[name];
  }
  // libuv starts its threadpool on first use and aborts the process if it cannot (no thread to
  // spare: a pids cgroup or RLIMIT_NPROC hit by something else on the node). Start it now, while
  // threads can be had, rather than on the first scrape that compresses a large body or reads
  // through fs.promises (Node 24 touches it nowhere before that).
  await new Promise<void>((resolve) => stat('/', () => resolve()));
  const addresses = await server.listen(listeners);
  for (const a of addresses) {
    const address = a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
    // exporter-toolkit's wording; HTTP/2 is not served (see README), so http2 is always false.
    logger.info(tlsEnabled ? 'TLS is enabled.' : 'TLS is disabled.', { http2: false, address });
    logger.info('Listening on', { address });
  }
  return { addresses, scraper, close: () => server.close() };
}
