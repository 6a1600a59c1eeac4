import { family, type MetricFamily, type Sample } from '../collector.js';
import type { DbusConnection } from '../dbus/client.js';
import { expectString, expectUint } from '../dbus/reply.js';
import {
  filterUnits,
  isUint64Max,
  MIN_VERSION_SYSTEM_STATE,
  parseListUnits,
  parseSystemdVersion,
  summarizeUnits,
  unitStateSamples,
  unitTypeInterface,
  virtualizationLabel,
  type SystemdUnit,
  type UnitFilter,
} from '../dbus/systemd-units.js';
import type { Logger } from '../logger.js';

/** The systemd collector's scrape: what it reads over D-Bus and the families it builds from it. */

const DEST = 'org.freedesktop.systemd1';
const MANAGER_PATH = '/org/freedesktop/systemd1';
const IFACE = 'org.freedesktop.systemd1';

/** Property reads; a failed per-unit read is logged at debug and the sample skipped, as upstream. */
export class SystemdReader {
  constructor(
    private readonly conn: DbusConnection,
    readonly logger: Logger,
  ) {}

  manager(name: string): Promise<unknown> {
    return this.conn.getProperty(DEST, MANAGER_PATH, `${IFACE}.Manager`, name);
  }

  async listUnits(): Promise<SystemdUnit[]> {
    const [reply] = await this.conn.call({ destination: DEST, path: MANAGER_PATH, interface: `${IFACE}.Manager`, member: 'ListUnits' });
    return parseListUnits(reply);
  }

  /** A property of the unit's `iface` (Unit, Service, Socket, Timer, Mount); undefined when unreadable. */
  async unit<T>(unit: SystemdUnit, iface: string, name: string, check: (v: unknown, what: string) => T): Promise<T | undefined> {
    try {
      return check(await this.conn.getProperty(DEST, unit.path, `${IFACE}.${iface}`, name), `${unit.name} ${name}`);
    } catch (err) {
      this.logger.debug(`couldn't get unit ${name}`, { unit: unit.name, err });
      return undefined;
    }
  }
}

export interface Enabled {
  tasks: boolean;
  restarts: boolean;
  startTime: boolean;
}

export async function scrape(r: SystemdReader, filter: UnitFilter, on: Enabled): Promise<MetricFamily[]> {
  // Unreadable (or not a string): version 0, as upstream.
  const rawVersion = await r
    .manager('Version')
    .then((v) => expectString(v, 'Version'))
    .catch((err: unknown) => {
      r.logger.debug('unable to get the systemd version property, using 0', { err });
      return undefined;
    });
  const version = rawVersion === undefined ? { value: 0, label: '' } : parseSystemdVersion(rawVersion);
  if (version.value < MIN_VERSION_SYSTEM_STATE) {
    r.logger.debug('systemd older than 212: no system state and timer metrics', { current: version.value });
  }
  const virt = await r
    .manager('Virtualization')
    .then((v) => expectString(v, 'Virtualization'))
    .catch((err: unknown) => {
      r.logger.debug('could not get Virtualization property', { err });
      return undefined;
    });
  let all: SystemdUnit[];
  try {
    all = await r.listUnits();
  } catch (err) {
    throw new Error(`couldn't get units: ${(err as Error).message}`);
  }
  const units = filterUnits(all, filter);
  const recent = version.value >= MIN_VERSION_SYSTEM_STATE;

  const [state, starts, taskFams, timers, sockets, running] = await Promise.all([
    unitStates(r, units, on.restarts),
    on.startTime ? startTimes(r, units) : [],
    on.tasks ? taskCounts(r, units) : [],
    recent ? timerTriggers(r, units) : [],
    socketCounts(r, units),
    recent ? systemRunning(r) : [],
  ]);
  return [
    family('node_systemd_version', 'The systemd version found on the bus, its full string as label.', 'gauge', [
      { labels: { version: version.label }, value: version.value },
    ]),
    family('node_systemd_virtualization_info', 'The virtualization technology systemd detected.', 'gauge', [
      { labels: { virtualization_type: virtualizationLabel(virt) }, value: 1 },
    ]),
    family('node_systemd_units', 'Number of systemd units in each active state.', 'gauge', summarizeUnits(all)),
    ...state,
    ...starts,
    ...taskFams,
    ...timers,
    ...sockets,
    ...running,
  ];
}

async function unitStates(r: SystemdReader, units: readonly SystemdUnit[], restarts: boolean): Promise<MetricFamily[]> {
  const states: Sample[] = [];
  const restartSamples: Sample[] = [];
  const per = await Promise.all(
    units.map(async (u) => {
      const iface = unitTypeInterface(u.name);
      const [type, n] = await Promise.all([
        iface === undefined ? undefined : r.unit(u, iface, 'Type', expectString),
        restarts && u.name.endsWith('.service') ? r.unit(u, 'Service', 'NRestarts', expectUint) : undefined,
      ]);
      return { u, type: type ?? '', n };
    }),
  );
  for (const { u, type, n } of per) {
    states.push(...unitStateSamples(u, type));
    if (n !== undefined) restartSamples.push({ labels: { name: u.name }, value: n });
  }
  const out = [family('node_systemd_unit_state', 'Whether a systemd unit is in this state (1) or not (0).', 'gauge', states)];
  if (restarts) out.push(family('node_systemd_service_restart_total', 'Automatic restarts of a service unit.', 'counter', restartSamples));
  return out;
}

async function startTimes(r: SystemdReader, units: readonly SystemdUnit[]): Promise<MetricFamily[]> {
  const values = await Promise.all(
    units.map((u) => (u.activeState === 'active' ? r.unit(u, 'Unit', 'ActiveEnterTimestamp', expectUint) : Promise.resolve(0))),
  );
  const samples: Sample[] = [];
  units.forEach((u, i) => {
    const usec = values[i];
    if (usec !== undefined) samples.push({ labels: { name: u.name }, value: usec / 1e6 });
  });
  return [family('node_systemd_unit_start_time_seconds', 'When the unit last became active, in seconds since the epoch (0 if not active).', 'gauge', samples)];
}

async function taskCounts(r: SystemdReader, units: readonly SystemdUnit[]): Promise<MetricFamily[]> {
  const services = units.filter((u) => u.name.endsWith('.service'));
  const read = (name: string) => Promise.all(services.map((u) => r.unit(u, 'Service', name, expectUint)));
  const [current, max] = await Promise.all([read('TasksCurrent'), read('TasksMax')]);
  const samples = (values: readonly (number | undefined)[]): Sample[] =>
    services.flatMap((u, i) => {
      const v = values[i];
      return v === undefined || isUint64Max(v) ? [] : [{ labels: { name: u.name }, value: v }];
    });
  return [
    family('node_systemd_unit_tasks_current', 'Tasks a service unit currently has.', 'gauge', samples(current)),
    family('node_systemd_unit_tasks_max', 'The most tasks a service unit may have.', 'gauge', samples(max)),
  ];
}

async function timerTriggers(r: SystemdReader, units: readonly SystemdUnit[]): Promise<MetricFamily[]> {
  const timers = units.filter((u) => u.name.endsWith('.timer'));
  const values = await Promise.all(timers.map((u) => r.unit(u, 'Timer', 'LastTriggerUSec', expectUint)));
  const samples = timers.flatMap((u, i) => {
    const v = values[i];
    return v === undefined ? [] : [{ labels: { name: u.name }, value: v / 1e6 }];
  });
  return [family('node_systemd_timer_last_trigger_seconds', 'When the timer last fired, in seconds since the epoch.', 'gauge', samples)];
}

async function socketCounts(r: SystemdReader, units: readonly SystemdUnit[]): Promise<MetricFamily[]> {
  const sockets = units.filter((u) => u.name.endsWith('.socket'));
  const accepted: Sample[] = [];
  const current: Sample[] = [];
  const refused: Sample[] = [];
  const per = await Promise.all(
    sockets.map((u) =>
      Promise.all([
        r.unit(u, 'Socket', 'NAccepted', expectUint),
        r.unit(u, 'Socket', 'NConnections', expectUint),
        // NRefused is newer (systemd 239); quietly absent before.
        r.unit(u, 'Socket', 'NRefused', expectUint),
      ]),
    ),
  );
  sockets.forEach((u, i) => {
    const [a, c, x] = per[i] ?? [];
    const labels = { name: u.name };
    // Upstream stops at the first unreadable one of the three, in this order.
    if (a === undefined) return;
    accepted.push({ labels, value: a });
    if (c === undefined) return;
    current.push({ labels, value: c });
    if (x !== undefined) refused.push({ labels, value: x });
  });
  return [
    family('node_systemd_socket_accepted_connections_total', 'Connections a socket unit has accepted.', 'counter', accepted),
    family('node_systemd_socket_current_connections', 'Connections a socket unit has open now.', 'gauge', current),
    // A gauge despite the _total name: upstream's type.
    family('node_systemd_socket_refused_connections_total', 'Connections a socket unit has refused.', 'gauge', refused),
  ];
}

async function systemRunning(r: SystemdReader): Promise<MetricFamily[]> {
  let state: string;
  try {
    state = expectString(await r.manager('SystemState'), 'SystemState');
  } catch (err) {
    throw new Error(`couldn't get system state: ${(err as Error).message}`);
  }
  return [
    family('node_systemd_system_running', "Whether systemd reports the system as running (as 'systemctl is-system-running').", 'gauge', [
      { labels: {}, value: state === 'running' ? 1 : 0 },
    ]),
  ];
}
