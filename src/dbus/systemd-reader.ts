import type { Logger } from '../logger.js';
import type { DbusConnection } from './client.js';
import { expectString, expectUint } from './reply.js';
import {
  countUnitStates,
  filterUnits,
  isUint64Max,
  MIN_VERSION_SYSTEM_STATE,
  parseListUnits,
  parseSystemdVersion,
  unitTypeInterface,
  virtualizationLabel,
  type SystemdUnit,
  type UnitFilter,
  type UnitStateCount,
} from './systemd-units.js';

/** What the systemd collector reads over D-Bus in one scrape, before any metric is made of it. */

const DEST = 'org.freedesktop.systemd1';
const MANAGER_PATH = '/org/freedesktop/systemd1';
const IFACE = 'org.freedesktop.systemd1';

/** Property reads; a failed per-unit read is logged at debug and the value skipped, as upstream. */
export class SystemdReader {
  constructor(
    private readonly conn: DbusConnection,
    readonly logger: Logger,
  ) {}

  manager(name: string): Promise<unknown> {
    return this.conn.getProperty(DEST, MANAGER_PATH, `${IFACE}.Manager`, name);
  }

  /** A string property of the Manager; undefined (said at debug as `failure`) when unreadable or not a string. */
  optionalManagerString(name: string, failure: string): Promise<string | undefined> {
    return this.manager(name)
      .then((v) => expectString(v, name))
      .catch((err: unknown) => {
        this.logger.debug(failure, { err });
        return undefined;
      });
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

/** One number about one unit, by unit name. */
export interface UnitValue {
  name: string;
  value: number;
}

export interface SystemdReadout {
  /** The number upstream compares (0 when unreadable) and the full version string. */
  version: { value: number; label: string };
  /** As upstream labels it: "none" on bare metal, "unknown" when unreadable. */
  virtualization: string;
  /** Every unit, filtered or not, counted by active state. */
  unitStates: UnitStateCount[];
  /** The filtered units with their Type property ('' when they have none or it is unreadable). */
  units: { unit: SystemdUnit; type: string }[];
  /** Each list below is empty when its flag is off or the systemd is too old for it. */
  restarts: UnitValue[];
  /** Seconds since the epoch; 0 for a unit that is not active. */
  startTimes: UnitValue[];
  tasksCurrent: UnitValue[];
  tasksMax: UnitValue[];
  /** Seconds since the epoch. */
  timerLastTrigger: UnitValue[];
  socketAccepted: UnitValue[];
  socketCurrent: UnitValue[];
  socketRefused: UnitValue[];
  /** Whether SystemState is "running"; undefined before systemd 212, which has no SystemState. */
  systemRunning?: boolean;
}

export async function readSystemd(r: SystemdReader, filter: UnitFilter, on: Enabled): Promise<SystemdReadout> {
  // Unreadable (or not a string): version 0, as upstream.
  const rawVersion = await r.optionalManagerString('Version', 'unable to get the systemd version property, using 0');
  const version = rawVersion === undefined ? { value: 0, label: '' } : parseSystemdVersion(rawVersion);
  if (version.value < MIN_VERSION_SYSTEM_STATE) {
    r.logger.debug('systemd older than 212: no system state and timer metrics', { current: version.value });
  }
  const virt = await r.optionalManagerString('Virtualization', 'could not get Virtualization property');
  let all: SystemdUnit[];
  try {
    all = await r.listUnits();
  } catch (err) {
    throw new Error(`couldn't get units: ${(err as Error).message}`);
  }
  const units = filterUnits(all, filter);
  const recent = version.value >= MIN_VERSION_SYSTEM_STATE;

  const [typed, restarts, startTimes, tasks, timerLastTrigger, sockets, systemRunning] = await Promise.all([
    unitTypes(r, units),
    on.restarts ? restartCounts(r, units) : [],
    on.startTime ? activeSince(r, units) : [],
    on.tasks ? taskCounts(r, units) : { current: [], max: [] },
    recent ? timerTriggers(r, units) : [],
    socketCounts(r, units),
    recent ? isSystemRunning(r) : undefined,
  ]);
  const readout: SystemdReadout = {
    version,
    virtualization: virtualizationLabel(virt),
    unitStates: countUnitStates(all),
    units: typed,
    restarts,
    startTimes,
    tasksCurrent: tasks.current,
    tasksMax: tasks.max,
    timerLastTrigger,
    ...sockets,
  };
  if (systemRunning !== undefined) readout.systemRunning = systemRunning;
  return readout;
}

/** Units paired with the values read for them, those that could not be read left out. */
function known(units: readonly SystemdUnit[], values: readonly (number | undefined)[], scale = 1): UnitValue[] {
  return units.flatMap((u, i) => {
    const v = values[i];
    return v === undefined ? [] : [{ name: u.name, value: v / scale }];
  });
}

function unitTypes(r: SystemdReader, units: readonly SystemdUnit[]): Promise<{ unit: SystemdUnit; type: string }[]> {
  return Promise.all(
    units.map(async (unit) => {
      const iface = unitTypeInterface(unit.name);
      const type = iface === undefined ? undefined : await r.unit(unit, iface, 'Type', expectString);
      return { unit, type: type ?? '' };
    }),
  );
}

async function restartCounts(r: SystemdReader, units: readonly SystemdUnit[]): Promise<UnitValue[]> {
  const services = units.filter((u) => u.name.endsWith('.service'));
  return known(services, await Promise.all(services.map((u) => r.unit(u, 'Service', 'NRestarts', expectUint))));
}

async function activeSince(r: SystemdReader, units: readonly SystemdUnit[]): Promise<UnitValue[]> {
  const values = await Promise.all(units.map((u) => (u.activeState === 'active' ? r.unit(u, 'Unit', 'ActiveEnterTimestamp', expectUint) : Promise.resolve(0))));
  return known(units, values, 1e6);
}

async function taskCounts(r: SystemdReader, units: readonly SystemdUnit[]): Promise<{ current: UnitValue[]; max: UnitValue[] }> {
  const services = units.filter((u) => u.name.endsWith('.service'));
  const read = async (name: string) => {
    const values = await Promise.all(services.map((u) => r.unit(u, 'Service', name, expectUint)));
    // "No limit" or "unknown" reads as 2^64-1: left out, as upstream.
    return known(
      services,
      values.map((v) => (v !== undefined && isUint64Max(v) ? undefined : v)),
    );
  };
  const [current, max] = await Promise.all([read('TasksCurrent'), read('TasksMax')]);
  return { current, max };
}

async function timerTriggers(r: SystemdReader, units: readonly SystemdUnit[]): Promise<UnitValue[]> {
  const timers = units.filter((u) => u.name.endsWith('.timer'));
  return known(timers, await Promise.all(timers.map((u) => r.unit(u, 'Timer', 'LastTriggerUSec', expectUint))), 1e6);
}

async function socketCounts(r: SystemdReader, units: readonly SystemdUnit[]): Promise<Pick<SystemdReadout, 'socketAccepted' | 'socketCurrent' | 'socketRefused'>> {
  const sockets = units.filter((u) => u.name.endsWith('.socket'));
  const out: Pick<SystemdReadout, 'socketAccepted' | 'socketCurrent' | 'socketRefused'> = { socketAccepted: [], socketCurrent: [], socketRefused: [] };
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
    // Upstream stops at the first unreadable one of the three, in this order.
    if (a === undefined) return;
    out.socketAccepted.push({ name: u.name, value: a });
    if (c === undefined) return;
    out.socketCurrent.push({ name: u.name, value: c });
    if (x !== undefined) out.socketRefused.push({ name: u.name, value: x });
  });
  return out;
}

async function isSystemRunning(r: SystemdReader): Promise<boolean> {
  try {
    return expectString(await r.manager('SystemState'), 'SystemState') === 'running';
  } catch (err) {
    throw new Error(`couldn't get system state: ${(err as Error).message}`);
  }
}
