import { createRequire } from 'node:module';

/**
 * A small promise-based D-Bus client over @homebridge/dbus-native (pure JS): connect, call a
 * method, read a property, close. Collectors open one connection per scrape and close it, as
 * node_exporter does.
 */

/** godbus' default when DBUS_SYSTEM_BUS_ADDRESS is unset (systemd and logind collectors use it). */
export const DEFAULT_SYSTEM_BUS_ADDRESS = 'unix:path=/var/run/dbus/system_bus_socket';

/**
 * systemd's private socket (`--collector.systemd.private`): a direct peer connection to systemd,
 * no bus daemon, no Hello.
 */
export const SYSTEMD_PRIVATE_ADDRESS = 'unix:path=/run/systemd/private';

/**
 * Calls in flight on one connection. dbus-daemon's system bus limits pending replies per
 * connection; pipelining a few hundred property reads at once would hit it.
 */
const MAX_IN_FLIGHT = 32;

export interface MethodCall {
  destination: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: unknown[];
}

/** A D-Bus error reply (org.freedesktop.DBus.Error.*), or a transport failure. */
export class DbusError extends Error {
  override readonly name = 'DbusError';
  constructor(
    message: string,
    readonly dbusName?: string,
  ) {
    super(message);
  }
}

// The library's own typings cover only systemBus(); this is the part we use.
interface NativeBus {
  connection: NativeConnection;
  invoke(msg: MethodCall, cb: (err: { name?: string; message?: unknown } | null | undefined, ...body: unknown[]) => void): void;
}
interface NativeConnection {
  on(event: 'connect' | 'end', cb: () => void): void;
  on(event: 'error', cb: (err: Error) => void): void;
  end(): void;
}
interface NativeModule {
  createClient(opts: { busAddress: string; direct?: boolean }): NativeBus;
}
// Loaded at the first connection: only systemd and logind (both off by default) use D-Bus, and
// the module costs ~10 MiB of RSS in every exporter that loads it.
let nativeModule: NativeModule | undefined;
const dbusNative = (): NativeModule => (nativeModule ??= createRequire(import.meta.url)('@homebridge/dbus-native') as NativeModule);

export interface ConnectOptions {
  address: string;
  /** A peer connection without a bus daemon (systemd's private socket): no Hello. */
  direct?: boolean;
  /** Every call fails once this fires (the scrape deadline). */
  signal?: AbortSignal;
}

export class DbusConnection {
  private closed: Error | undefined;
  private onClose: (() => void) | undefined;
  private readonly pending = new Set<(err: Error) => void>();
  private inFlight = 0;
  private readonly queue: Array<() => void> = [];

  private constructor(private readonly bus: NativeBus) {}

  /** Connects and authenticates; rejects with the socket or auth error. */
  static connect(opts: ConnectOptions): Promise<DbusConnection> {
    return new Promise((resolve, reject) => {
      let bus: NativeBus;
      try {
        bus = dbusNative().createClient({ busAddress: opts.address, direct: opts.direct === true });
      } catch (err) {
        reject(new DbusError(`bad bus address ${JSON.stringify(opts.address)}: ${(err as Error).message}`));
        return;
      }
      const conn = new DbusConnection(bus);
      let connected = false;
      bus.connection.on('error', (err) => {
        const e = new DbusError(`${opts.address}: ${err.message}`);
        if (!connected) reject(e);
        conn.fail(e);
      });
      bus.connection.on('end', () => {
        const e = new DbusError(`${opts.address}: connection closed by the bus`);
        if (!connected) reject(e);
        conn.fail(e);
      });
      bus.connection.on('connect', () => {
        connected = true;
        resolve(conn);
      });
      const signal = opts.signal;
      if (signal !== undefined) {
        const onAbort = () => {
          const e = new DbusError('scrape deadline reached');
          if (!connected) reject(e);
          conn.close(e);
        };
        if (signal.aborted) onAbort();
        else {
          signal.addEventListener('abort', onAbort, { once: true });
          conn.onClose = () => signal.removeEventListener('abort', onAbort);
        }
      }
    });
  }

  /** Calls a method; resolves with the reply's body (one entry per out-argument). */
  async call(msg: MethodCall): Promise<unknown[]> {
    await this.slot();
    try {
      return await new Promise<unknown[]>((resolve, reject) => {
        if (this.closed !== undefined) {
          reject(this.closed);
          return;
        }
        this.pending.add(reject);
        this.bus.invoke(msg, (err, ...body) => {
          this.pending.delete(reject);
          if (err === null || err === undefined) resolve(body);
          else {
            const text = typeof err.message === 'string' && err.message !== '' ? err.message : String(err.name ?? 'error');
            reject(new DbusError(`${msg.interface}.${msg.member} on ${msg.path}: ${text}`, err.name));
          }
        });
      });
    } finally {
      this.release();
    }
  }

  /** org.freedesktop.DBus.Properties.Get, the variant unwrapped to its value. */
  async getProperty(destination: string, path: string, iface: string, name: string): Promise<unknown> {
    const [variant] = await this.call({
      destination,
      path,
      interface: 'org.freedesktop.DBus.Properties',
      member: 'Get',
      signature: 'ss',
      body: [iface, name],
    });
    // The library hands a variant over as [signature tree, [value]].
    if (!Array.isArray(variant) || !Array.isArray(variant[1]) || variant[1].length !== 1) {
      throw new DbusError(`${iface}.${name} on ${path}: reply is not a variant`);
    }
    return variant[1][0];
  }

  close(reason: Error = new DbusError('connection closed')): void {
    if (this.closed !== undefined) return;
    this.fail(reason);
    this.bus.connection.end();
  }

  private fail(err: Error): void {
    if (this.closed !== undefined) return;
    this.closed = err;
    this.onClose?.();
    for (const reject of this.pending) reject(err);
    this.pending.clear();
    for (const next of this.queue.splice(0)) next();
  }

  private slot(): Promise<void> {
    if (this.inFlight < MAX_IN_FLIGHT || this.closed !== undefined) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.queue.push(() => {
        this.inFlight++;
        resolve();
      }),
    );
  }

  private release(): void {
    this.inFlight--;
    this.queue.shift()?.();
  }
}

/** The system bus address the way godbus picks it: DBUS_SYSTEM_BUS_ADDRESS, else the default. */
export function systemBusAddress(env: NodeJS.ProcessEnv = process.env): string {
  const v = env.DBUS_SYSTEM_BUS_ADDRESS;
  return v !== undefined && v !== '' ? v : DEFAULT_SYSTEM_BUS_ADDRESS;
}
