import { booleanOption, ConfigError, newDesc, type CollectorDefinition, type Desc, type OptionValues, type Sink } from '../collector.js';
import { DbusConnection, SYSTEMD_PRIVATE_ADDRESS, systemBusAddress } from '../dbus/client.js';
import { readSystemd, SystemdReader, type SystemdReadout, type UnitValue } from '../dbus/systemd-reader.js';
import { compileUnitFilter, unitStateValues } from '../dbus/systemd-units.js';
import type { Logger } from '../logger.js';

const versionDesc = newDesc('node_systemd_version', 'The systemd version found on the bus, its full string as label.', 'gauge', ['version']);
const virtualizationDesc = newDesc('node_systemd_virtualization_info', 'The virtualization technology systemd detected.', 'gauge', ['virtualization_type']);
const unitsDesc = newDesc('node_systemd_units', 'Number of systemd units in each active state.', 'gauge', ['state']);
const unitStateDesc = newDesc('node_systemd_unit_state', 'Whether a systemd unit is in this state (1) or not (0).', 'gauge', ['name', 'state', 'type']);
const systemRunningDesc = newDesc('node_systemd_system_running', "Whether systemd reports the system as running (as 'systemctl is-system-running').", 'gauge');
/** Per-unit numbers, labelled by unit name. */
const PER_UNIT: [Desc, (r: SystemdReadout) => readonly UnitValue[]][] = [
  [newDesc('node_systemd_service_restart_total', 'Automatic restarts of a service unit.', 'counter', ['name']), (r) => r.restarts],
  [newDesc('node_systemd_unit_start_time_seconds', 'When the unit last became active, in seconds since the epoch (0 if not active).', 'gauge', ['name']), (r) => r.startTimes],
  [newDesc('node_systemd_unit_tasks_current', 'Tasks a service unit currently has.', 'gauge', ['name']), (r) => r.tasksCurrent],
  [newDesc('node_systemd_unit_tasks_max', 'The most tasks a service unit may have.', 'gauge', ['name']), (r) => r.tasksMax],
  [newDesc('node_systemd_timer_last_trigger_seconds', 'When the timer last fired, in seconds since the epoch.', 'gauge', ['name']), (r) => r.timerLastTrigger],
  [newDesc('node_systemd_socket_accepted_connections_total', 'Connections a socket unit has accepted.', 'counter', ['name']), (r) => r.socketAccepted],
  [newDesc('node_systemd_socket_current_connections', 'Connections a socket unit has open now.', 'gauge', ['name']), (r) => r.socketCurrent],
  // A gauge despite the _total name: upstream's type.
  [newDesc('node_systemd_socket_refused_connections_total', 'Connections a socket unit has refused.', 'gauge', ['name']), (r) => r.socketRefused],
];

function emit(r: SystemdReadout, out: Sink): void {
  out.add(versionDesc, r.version.value, r.version.label);
  out.add(virtualizationDesc, 1, r.virtualization);
  for (const c of r.unitStates) out.add(unitsDesc, c.count, c.state);
  for (const { unit, type } of r.units) {
    for (const s of unitStateValues(unit)) out.add(unitStateDesc, s.value, unit.name, s.state, type);
  }
  for (const [desc, values] of PER_UNIT) for (const v of values(r)) out.add(desc, v.value, v.name);
  if (r.systemRunning !== undefined) out.add(systemRunningDesc, r.systemRunning ? 1 : 0);
}

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
      async collect({ signal }, out) {
        // Read at every scrape, as godbus does at every connection.
        const address = usePrivate ? SYSTEMD_PRIVATE_ADDRESS : systemBusAddress();
        let conn: DbusConnection;
        try {
          conn = await DbusConnection.connect({ address, direct: usePrivate, signal });
        } catch (err) {
          throw new Error(`couldn't get dbus connection: ${(err as Error).message}`);
        }
        try {
          emit(await readSystemd(new SystemdReader(conn, logger), filter, { tasks, restarts, startTime }), out);
        } finally {
          conn.close();
        }
      },
    };
  },
};
