/**
 * A private dbus-daemon on a temporary socket, and a stand-in for systemd and logind on it that
 * answers the calls our systemd and logind collectors make, with a small fixed host: a handful of
 * units and sessions.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function dbusDaemonMissing(): string | undefined {
  const r = spawnSync('dbus-daemon', ['--version'], { encoding: 'utf8' });
  return r.error === undefined && r.status === 0 ? undefined : 'dbus-daemon is not installed (Debian package "dbus")';
}

export interface PrivateBus {
  address: string;
  dir: string;
  stop(): Promise<void>;
}

/** Starts dbus-daemon with a config that lets anyone own any name and call anything. */
export function startPrivateBus(): Promise<PrivateBus> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dbus-test-'));
  const config = path.join(dir, 'bus.conf');
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${path.join(dir, 'bus.sock')}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
`,
  );
  const child: ChildProcess = spawn('dbus-daemon', [`--config-file=${config}`, '--print-address', '--nofork'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dbus-daemon printed no address in 5 s: ${err}`));
    }, 5000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (!out.includes('\n') || line === undefined) return;
      clearTimeout(timer);
      resolve({
        address: line.trim(),
        dir,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
          rmSync(dir, { recursive: true, force: true });
        },
      });
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`dbus-daemon exited: ${err}`));
    });
  });
}

// The library's server side, as far as the stand-in uses it.
interface IfaceDesc {
  name: string;
  methods: Record<string, [string, string]>;
  properties: Record<string, string>;
}
interface StandinBus {
  connection: { on(e: 'connect', cb: () => void): void; on(e: 'error', cb: (err: Error) => void): void; end(): void };
  requestName(name: string, flags: number, cb: (err: unknown, code?: number) => void): void;
  exportInterface(obj: object, path: string, iface: IfaceDesc): void;
}
const native = createRequire(import.meta.url)('@homebridge/dbus-native') as { createClient(o: { busAddress: string }): StandinBus };

export interface StandinUnit {
  name: string;
  load: string;
  active: string;
  /** Per interface (Unit, Service, Socket, Timer, Mount): its properties as [signature, value]. Absent: not exported. */
  ifaces?: Record<string, Record<string, [string, unknown]>>;
}

export interface StandinSession {
  id: string;
  seat: string;
  /** Absent: the session object is not exported (its property reads fail). */
  props?: { Remote: boolean; Type: string; Class: string };
}

export interface StandinHost {
  manager: Record<string, [string, unknown]>;
  units: StandinUnit[];
  seats: string[];
  sessions: StandinSession[];
  /** ListUnits and ListSessions never answer (a wedged systemd/logind). */
  hang?: boolean;
}

/** Object path of a unit, systemd's escaping: every byte outside [A-Za-z0-9] becomes _xx. */
export function unitObjectPath(name: string): string {
  const escaped = [...Buffer.from(name)].map((b) => (/[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `_${b.toString(16).padStart(2, '0')}`)).join('');
  return `/org/freedesktop/systemd1/unit/${escaped}`;
}

function exportProps(
  bus: StandinBus,
  objPath: string,
  iface: string,
  props: Record<string, [string, unknown]>,
  methods: Record<string, [string, string]> = {},
  impl: object = {},
): void {
  const obj: Record<string, unknown> = { ...impl };
  const types: Record<string, string> = {};
  for (const [k, [sig, value]] of Object.entries(props)) {
    obj[k] = value;
    types[k] = sig;
  }
  bus.exportInterface(obj, objPath, { name: iface, methods, properties: types });
}

const never = (): Promise<never> => new Promise(() => undefined);

const unitRows = (host: StandinHost) =>
  host.units.map((u) => [u.name, `${u.name} unit`, u.load, u.active, u.active === 'active' ? 'running' : 'dead', '', unitObjectPath(u.name), 0, '', '/']);

/** Connects to the bus, owns org.freedesktop.systemd1 and org.freedesktop.login1, serves `host`. */
export async function startStandin(address: string, host: StandinHost): Promise<{ stop(): void }> {
  const bus = native.createClient({ busAddress: address });
  bus.connection.on('error', () => undefined);
  await new Promise<void>((resolve) => bus.connection.on('connect', resolve));

  exportProps(
    bus,
    '/org/freedesktop/systemd1',
    'org.freedesktop.systemd1.Manager',
    host.manager,
    { ListUnits: ['', 'a(ssssssouso)'] },
    {
      ListUnits: () => (host.hang === true ? never() : unitRows(host)),
    },
  );
  for (const u of host.units) {
    for (const [iface, props] of Object.entries(u.ifaces ?? {})) exportProps(bus, unitObjectPath(u.name), `org.freedesktop.systemd1.${iface}`, props);
  }

  const sessionPath = (id: string) => `/org/freedesktop/login1/session/_3${id}`;
  exportProps(
    bus,
    '/org/freedesktop/login1',
    'org.freedesktop.login1.Manager',
    {},
    { ListSeats: ['', 'a(so)'], ListSessions: ['', 'a(susso)'] },
    {
      ListSeats: () => host.seats.map((s) => [s, `/org/freedesktop/login1/seat/${s}`]),
      ListSessions: () => (host.hang === true ? never() : host.sessions.map((s) => [s.id, 1000, 'user', s.seat, sessionPath(s.id)])),
    },
  );
  for (const s of host.sessions) {
    if (s.props === undefined) continue;
    exportProps(bus, sessionPath(s.id), 'org.freedesktop.login1.Session', { Remote: ['b', s.props.Remote], Type: ['s', s.props.Type], Class: ['s', s.props.Class] });
  }

  for (const name of ['org.freedesktop.systemd1', 'org.freedesktop.login1']) {
    // 4 = DBUS_NAME_FLAG_DO_NOT_QUEUE; reply 1 = primary owner.
    const code = await new Promise<number | undefined>((resolve, reject) => bus.requestName(name, 4, (err, c) => (err ? reject(new Error(String(err))) : resolve(c))));
    if (code !== 1) throw new Error(`could not own ${name} (reply ${String(code)})`);
  }
  return { stop: () => bus.connection.end() };
}
