import { Command, CommanderError, Option } from 'commander';
import type { CollectorDefinition, OptionValues } from './collector.js';
import { ConfigError } from './collector.js';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './logger.js';
import { DEFAULT_ROOTS, type PathRoots } from './paths.js';

export interface WebConfig {
  listenAddresses: string[];
  telemetryPath: string;
  disableExporterMetrics: boolean;
  maxRequests: number;
  /** Subtracted from Prometheus' X-Prometheus-Scrape-Timeout-Seconds to leave time to answer. */
  scrapeTimeoutOffsetMs: number;
  /** The deadline of a scrape whose request carries no timeout header. */
  defaultScrapeTimeoutMs: number;
  /** exporter-toolkit web-config file (TLS, basic auth, headers, rate limit); undefined: plain HTTP. */
  configFile?: string;
  /** Serve on the sockets systemd passed (socket activation) instead of listenAddresses. */
  systemdSocket: boolean;
}

export interface CollectorConfig {
  enabled: boolean;
  options: OptionValues;
  explicit: ReadonlySet<string>;
  /**
   * --collector.<name>.min-interval in milliseconds: scrapes within this long of the last
   * refresh serve its result instead of running the collector. 0 (the default): every scrape.
   */
  minIntervalMs: number;
}

export interface Config {
  roots: PathRoots;
  collectors: ReadonlyMap<string, CollectorConfig>;
  web: WebConfig;
  log: { level: LogLevel; format: LogFormat };
}

/** Go-style durations as node_exporter's flags take them: "5s", "500ms", "1m30s", "2h". */
export function parseDuration(text: string, flag: string): number {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  if (text === '0') return 0;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * (units[m[2] ?? ''] ?? Number.NaN);
    consumed = re.lastIndex;
  }
  if (text === '' || consumed !== text.length || !Number.isFinite(total)) {
    throw new ConfigError(`--${flag}: invalid duration ${JSON.stringify(text)} (use e.g. 5s, 500ms, 1m30s)`);
  }
  return total;
}

export function parseNonNegativeInt(text: string, flag: string): number {
  if (!/^\d+$/.test(text)) throw new ConfigError(`--${flag}: expected a non-negative integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** Compiles a flag's regexp (Go RE2 syntax is, for the patterns people write, JS syntax too). */
export function compileRegexp(pattern: string, flag: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch (err) {
    throw new ConfigError(`--${flag}: invalid regexp ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
}

/**
 * A flag's regexp over names from a fixed kernel set (vmstat fields, netstat keys): each name
 * is tested once, then its answer remembered, instead of running the regexp every scrape.
 */
export function cachedMatcher(re: RegExp): (name: string) => boolean {
  const answers = new Map<string, boolean>();
  return (name) => {
    let yes = answers.get(name);
    if (yes === undefined) answers.set(name, (yes = re.test(name)));
    return yes;
  };
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export interface ParseOutput {
  /** Set when --help or --version was asked for: print it and exit 0. */
  exitText?: string;
  config?: Config;
}

/**
 * Flags → a typed Config. node_exporter's flag names and defaults; unknown flags and bad values
 * throw ConfigError (the CLI prints it and exits 1 before anything listens).
 */
export function parseConfig(argv: readonly string[], definitions: readonly CollectorDefinition[], version: string): ParseOutput {
  let out = '';
  const program = new Command('node-exporter')
    .description('Prometheus exporter for machine metrics (node_exporter in TypeScript)')
    .version(version, '--version', 'Show application version.')
    .helpOption('-h, --help', 'Show context-sensitive help.')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });

  program
    .option('--path.procfs <path>', 'procfs mountpoint.', DEFAULT_ROOTS.procfs)
    .option('--path.sysfs <path>', 'sysfs mountpoint.', DEFAULT_ROOTS.sysfs)
    .option('--path.rootfs <path>', 'rootfs mountpoint.', DEFAULT_ROOTS.rootfs)
    .option('--path.udev.data <path>', 'udev data path (default: /run/udev/data under --path.rootfs).')
    .option('--collector.disable-defaults', 'Set all collectors to disabled by default.', false)
    .option('--web.listen-address <address>', 'Address on which to expose metrics and web interface; repeatable. (default: :9100)', collect)
    .option('--web.telemetry-path <path>', 'Path under which to expose metrics.', '/metrics')
    .option('--web.disable-exporter-metrics', 'Exclude metrics about the exporter itself (promhttp_*, process_*, nodejs_*).', false)
    .option('--web.max-requests <n>', 'Maximum number of parallel scrape requests. Use 0 to disable.', '40')
    .option('--web.scrape-timeout-offset <duration>', 'Time kept back from the X-Prometheus-Scrape-Timeout-Seconds deadline to send the answer.', '500ms')
    .option('--web.default-scrape-timeout <duration>', 'Scrape deadline when the request does not carry X-Prometheus-Scrape-Timeout-Seconds.', '10s')
    .option('--web.config.file <path>', 'Path to configuration file that can enable TLS or authentication (exporter-toolkit format).')
    .option('--web.systemd-socket', 'Use systemd socket activation listeners instead of port listeners (Linux only).', false)
    .option('--runtime.gomaxprocs <n>', 'Accepted for node_exporter compatibility; JavaScript runs on one thread whatever its value.', '1')
    .addOption(new Option('--log.level <level>', 'Only log messages with the given severity or above.').choices(LOG_LEVELS).default('info'))
    .addOption(new Option('--log.format <format>', 'Output format of log messages.').choices(LOG_FORMATS).default('logfmt'));

  // Code-point order (the names are ASCII): localeCompare would load ICU collation, ~4 MiB of RSS.
  const sorted = [...definitions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const def of sorted) {
    const state = def.defaultEnabled ? 'enabled' : 'disabled';
    program.addOption(new Option(`--collector.${def.name}`, `Enable the ${def.name} collector (default: ${state}).`));
    program.addOption(new Option(`--no-collector.${def.name}`).hideHelp());
    program.addOption(
      new Option(
        `--collector.${def.name}.min-interval <duration>`,
        `Run the ${def.name} collector at most once per this duration; scrapes in between serve its last result (default: 0s, every scrape).`,
      ),
    );
    for (const opt of def.options ?? []) {
      if (opt.boolean) {
        const o = new Option(`--${opt.flag}`, opt.help);
        program.addOption(opt.hidden ? o.hideHelp() : o);
        program.addOption(new Option(`--no-${opt.flag}`).hideHelp());
      } else {
        const o = new Option(`--${opt.flag} <value>`, opt.help);
        // A repeatable flag's default is applied after parsing: given values replace it.
        if (opt.repeatable) o.argParser(collect);
        else if (opt.defaultValue !== undefined) o.default(opt.defaultValue);
        program.addOption(opt.hidden ? o.hideHelp() : o);
      }
    }
  }

  try {
    // kingpin's --help-long (node_exporter has it) is our --help: one help text, all flags.
    program.parse(
      argv.map((a) => (a === '--help-long' ? '--help' : a)),
      { from: 'user' },
    );
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return { exitText: out };
      if (err.code === 'commander.excessArguments') {
        throw new ConfigError(`unexpected argument ${JSON.stringify(program.args[0] ?? '')} (flags take values as --flag=value)`);
      }
      throw new ConfigError(err.message.replace(/^error: /, ''));
    }
    throw err;
  }

  // Commander camel-cases dashed names ("web.telemetryPath"): look values up by the flag itself.
  const attr = (flag: string) => program.options.find((o) => o.long === `--${flag}`)?.attributeName() ?? flag;
  const value = (flag: string): unknown => program.getOptionValue(attr(flag));
  const explicitlyGiven = (flag: string) => program.getOptionValueSource(attr(flag)) === 'cli';
  const str = (flag: string) => String(value(flag));
  const disableDefaults = value('collector.disable-defaults') === true;

  const collectors = new Map<string, CollectorConfig>();
  for (const def of sorted) {
    const key = `collector.${def.name}`;
    const enabled = explicitlyGiven(key) ? value(key) === true : disableDefaults ? false : def.defaultEnabled;
    const options = new Map<string, string | boolean | string[] | undefined>();
    const explicit = new Set<string>();
    for (const opt of def.options ?? []) {
      const v = value(opt.flag) as string | boolean | string[] | undefined;
      options.set(opt.flag, v === undefined && opt.repeatable && opt.defaultValue !== undefined ? [opt.defaultValue] : v);
      if (explicitlyGiven(opt.flag)) explicit.add(opt.flag);
    }
    const minInterval = value(`${key}.min-interval`);
    const minIntervalMs = minInterval === undefined ? 0 : parseDuration(String(minInterval), `${key}.min-interval`);
    collectors.set(def.name, { enabled, options, explicit, minIntervalMs });
  }

  const listen = (value('web.listen-address') as string[] | undefined) ?? [':9100'];
  // kingpin's Int: any integer; the value itself changes nothing here.
  if (!/^[+-]?\d+$/.test(str('runtime.gomaxprocs'))) throw new ConfigError(`--runtime.gomaxprocs: expected an integer, got ${JSON.stringify(str('runtime.gomaxprocs'))}`);
  const telemetryPath = str('web.telemetry-path');
  if (!telemetryPath.startsWith('/')) throw new ConfigError(`--web.telemetry-path must start with "/", got ${JSON.stringify(telemetryPath)}`);
  for (const a of listen) parseListenAddress(a);

  const roots: PathRoots = {
    procfs: str('path.procfs'),
    sysfs: str('path.sysfs'),
    rootfs: str('path.rootfs'),
    udevData: value('path.udev.data') === undefined ? undefined : str('path.udev.data'),
  };
  for (const [flag, value] of Object.entries(roots)) {
    if (value === '') throw new ConfigError(`--path.${flag === 'udevData' ? 'udev.data' : flag} must not be empty`);
  }

  return {
    config: {
      roots,
      collectors,
      web: {
        listenAddresses: listen,
        telemetryPath,
        disableExporterMetrics: value('web.disable-exporter-metrics') === true,
        maxRequests: parseNonNegativeInt(str('web.max-requests'), 'web.max-requests'),
        scrapeTimeoutOffsetMs: parseDuration(str('web.scrape-timeout-offset'), 'web.scrape-timeout-offset'),
        defaultScrapeTimeoutMs: parseDuration(str('web.default-scrape-timeout'), 'web.default-scrape-timeout'),
        ...(value('web.config.file') !== undefined && str('web.config.file') !== '' ? { configFile: str('web.config.file') } : {}),
        systemdSocket: value('web.systemd-socket') === true,
      },
      log: { level: value('log.level') as LogLevel, format: value('log.format') as LogFormat },
    },
  };
}

export type ListenAddress =
  | {
      /** undefined: every interface, IPv4 and IPv6, as Go's ":9100". */
      host: string | undefined;
      port: number;
    }
  /** A socket already listening, passed by systemd (socket activation). */
  | { fd: number };

/** "host:port", "[v6]:port" or ":port", as Go's net.Listen takes them. */
export function parseListenAddress(address: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(address);
  const port = Number(m?.[3]);
  if (m === null || port > 65535) {
    throw new ConfigError(`--web.listen-address: invalid address ${JSON.stringify(address)} (use host:port, [v6addr]:port or :port)`);
  }
  const host = m[1] ?? m[2];
  return { host: host === '' ? undefined : host, port };
}
