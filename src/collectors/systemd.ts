import { booleanOption, ConfigError, type CollectorDefinition, type MetricFamily, type OptionValues } from '../collector.js';
import { DbusConnection, SYSTEMD_PRIVATE_ADDRESS, systemBusAddress } from '../dbus/client.js';
import { compileUnitFilter } from '../dbus/systemd-units.js';
import type { Logger } from '../logger.js';
import { scrape, SystemdReader } from './systemd-families.js';

const S = 'collector.systemd';

/** Include/exclude with upstream's rules for the hidden whitelist/blacklist names. */
function unitPatterns(options: OptionValues, explicit: ReadonlySet<string>, logger: Logger): { include: string; exclude: string } {
  const text = (flag: string) => {
    const v = options.get(`${S}.${flag}`);
    return typeof v === 'string' ? v : '';
  };
  const pick = (current: string, old: string): string => {
    if (text(old) === '') return text(current);
    if (explicit.has(`${S}.${current}`)) throw new ConfigError(`--${S}.${old} and --${S}.${current} are mutually exclusive`);
    logger.warn(`--${S}.${old} is deprecated, use --${S}.${current}`);
    return text(old);
  };
  return { exclude: pick('unit-exclude', 'unit-blacklist'), include: pick('unit-include', 'unit-whitelist') };
}

export const systemd: CollectorDefinition = {
  name: 'systemd',
  defaultEnabled: false,
  options: [
    { flag: `${S}.unit-include`, help: 'Regexp of systemd units to include (whole name). A unit must match include and not match exclude.', defaultValue: '.+' },
    { flag: `${S}.unit-whitelist`, help: 'Deprecated name of --collector.systemd.unit-include.', hidden: true },
    {
      flag: `${S}.unit-exclude`,
      help: 'Regexp of systemd units to exclude (whole name). A unit must match include and not match exclude.',
      defaultValue: '.+\\.(automount|device|mount|scope|slice)',
    },
    { flag: `${S}.unit-blacklist`, help: 'Deprecated name of --collector.systemd.unit-exclude.', hidden: true },
    { flag: `${S}.private`, help: "Talk to systemd's private socket instead of the system bus (needs root; for testing).", boolean: true, hidden: true },
    { flag: `${S}.enable-task-metrics`, help: 'Report node_systemd_unit_tasks_current and _max for service units.', boolean: true },
    { flag: `${S}.enable-restarts-metrics`, help: 'Report node_systemd_service_restart_total for service units.', boolean: true },
    { flag: `${S}.enable-start-time-metrics`, help: 'Report node_systemd_unit_start_time_seconds.', boolean: true },
  ],
  create({ logger, options, explicit }) {
    const patterns = unitPatterns(options, explicit, logger);
    logger.info('Parsed flag --collector.systemd.unit-include', { flag: patterns.include });
    logger.info('Parsed flag --collector.systemd.unit-exclude', { flag: patterns.exclude });
    const filter = compileUnitFilter(patterns.include, patterns.exclude, `${S}.unit-include`, `${S}.unit-exclude`);
    const usePrivate = booleanOption(options, `${S}.private`, false);
    const tasks = booleanOption(options, `${S}.enable-task-metrics`, false);
    const restarts = booleanOption(options, `${S}.enable-restarts-metrics`, false);
    const startTime = booleanOption(options, `${S}.enable-start-time-metrics`, false);

    return {
      async collect({ signal }): Promise<MetricFamily[]> {
        // Read at every scrape, as godbus does at every connection.
        const address = usePrivate ? SYSTEMD_PRIVATE_ADDRESS : systemBusAddress();
        let conn: DbusConnection;
        try {
          conn = await DbusConnection.connect({ address, direct: usePrivate, signal });
        } catch (err) {
          throw new Error(`couldn't get dbus connection: ${(err as Error).message}`);
        }
        try {
          return await scrape(new SystemdReader(conn, logger), filter, { tasks, restarts, startTime });
        } finally {
          conn.close();
        }
      },
    };
  },
};
