import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { booleanOption, type CollectorDefinition, ConfigError, type Desc, newDesc, type OptionValues, type Sink } from '../collector.js';
import { compileRegexp } from '../config.js';
import { DeviceFilter } from '../device-filter.js';
import type { Logger } from '../logger.js';
import type { Paths } from '../paths.js';
import { NET_DEV_COLUMNS, NET_DEV_LEGACY_KEYS, parseNetDevRows } from '../procfs/net-dev.js';
import { ParseError } from '../procfs/parse-error.js';
import { type EarlyRead, ReadAhead, readAndParse, readProcFiles } from '../read/files.js';
import { netClassDevices } from '../read/net-class.js';
import { isSkippableAttributeError, NET_STATISTICS_KEYS, parseNetStatistic } from '../sysfs/net-class.js';
import { ownPaths } from '../read/self.js';

const D = 'collector.netdev';

const addressInfo = newDesc('node_network_address_info', 'Addresses of the network devices; always 1.', 'gauge', ['device', 'address', 'netmask', 'scope']);

/**
 * Device name → its counters: `values` under `keys` (the /proc/net/dev columns, folded to the
 * legacy names unless detailed), then `more` (sysfs counters; every counter when detailed).
 */
type NetDevStats = Map<string, { keys: readonly string[]; values: readonly number[]; more?: ReadonlyMap<string, number> }>;
const NONE: readonly number[] = [];
const NO_KEYS: readonly string[] = [];
const DETAILED_FILES: readonly string[] = [...NET_STATISTICS_KEYS.keys()];
const NOHANDLER_FILE: readonly string[] = ['rx_nohandler'];

export interface NetdevOptions {
  /**
   * Where this process's own network namespace shows through (its /proc and /sys), which is
   * what upstream's netlink mode sees whatever --path.procfs says. Tests point it at fixtures.
   */
  ownNamespace?: Paths;
  /** The interface addresses for --collector.netdev.address-info; os.networkInterfaces by default. */
  interfaces?: () => NodeJS.Dict<NetworkInterfaceInfo[]>;
}

/** include/exclude plus the hidden whitelist/blacklist names, with upstream's conflict rules. */
function deviceFilter(options: OptionValues, logger: Logger): DeviceFilter {
  const text = (flag: string) => {
    const v = options.get(`${D}.${flag}`);
    return typeof v === 'string' ? v : '';
  };
  const pick = (current: string, deprecated: string, replacement: string) => {
    if (text(deprecated) === '') return text(current);
    if (text(current) !== '') throw new ConfigError(`--${D}.${deprecated} and --${D}.${replacement} are mutually exclusive`);
    logger.warn(`--${D}.${deprecated} is deprecated, use --${D}.${replacement}`);
    return text(deprecated);
  };
  const include = pick('device-include', 'device-whitelist', 'device-include');
  const exclude = pick('device-exclude', 'device-blacklist', 'device-exclude');
  if (include !== '' && exclude !== '') throw new ConfigError(`--${D}.device-exclude and --${D}.device-include are mutually exclusive`);
  return new DeviceFilter(exclude === '' ? undefined : compileRegexp(exclude, `${D}.device-exclude`), include === '' ? undefined : compileRegexp(include, `${D}.device-include`));
}

/**
 * Counters from sysfs statistics/ (the kernel's rtnl_link_stats64, what netlink carries) for
 * each device, in one batch of reads. A file that is missing (the device went away, or an old
 * kernel without rx_nohandler) is left out.
 */
async function readStatistics(
  own: Paths,
  devices: readonly string[],
  files: readonly string[],
  ahead: ReadAhead,
  early: EarlyRead | undefined,
): Promise<Map<string, Map<string, number>>> {
  const paths: string[] = [];
  for (const device of devices) for (const path of own.sysFilePaths(`class/net/${device}/statistics`, files)) paths.push(path);
  const texts = await ahead.read(paths, early);
  const out = new Map<string, Map<string, number>>();
  for (let d = 0; d < devices.length; d++) {
    const counters = new Map<string, number>();
    out.set(devices[d] as string, counters);
    for (let f = 0; f < files.length; f++) {
      const n = d * files.length + f;
      const text = texts[n];
      const path = paths[n] as string;
      if (typeof text !== 'string') {
        if ((text as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') continue;
        throw text ?? new Error(`read ${path}: no result`);
      }
      const file = files[f] as string;
      try {
        counters.set(NET_STATISTICS_KEYS.get(file) ?? file, parseNetStatistic(text));
      } catch (err) {
        throw err instanceof ParseError ? err.withFile(path) : err;
      }
    }
  }
  return out;
}

/**
 * --collector.netdev.netlink (upstream's default): the links of our own network namespace.
 * Without a netlink socket we read the same kernel numbers from our own /proc/self/net/dev
 * (the legacy sums, one read) and sysfs statistics/ (rx_nohandler, or every counter when
 * detailed metrics are asked for).
 */
async function ownNamespaceStats(own: Paths, filter: DeviceFilter, detailed: boolean, ahead: ReadAhead): Promise<NetDevStats> {
  // The statistics files as last scrape listed them, read beside /proc/self/net/dev.
  const early = ahead.start();
  const lines = (await readAndParse(own.procFilePath('self/net/dev'), parseNetDevRows)).filter((l) => !filter.ignored(l.device));
  const devices = lines.map((l) => l.device);
  const sysfs = await readStatistics(own, devices, detailed ? DETAILED_FILES : NOHANDLER_FILE, ahead, early);
  const stats: NetDevStats = new Map();
  for (const { device, values } of lines) {
    const fromSysfs = sysfs.get(device);
    if (detailed) {
      // Gone meanwhile (no statistics/): netlink would not list it either.
      if (fromSysfs !== undefined && fromSysfs.size > 0) stats.set(device, { keys: NO_KEYS, values: NONE, more: fromSysfs });
    } else {
      // The legacy columns under their folded names, then what sysfs adds (rx_nohandler).
      stats.set(device, { keys: NET_DEV_LEGACY_KEYS, values, ...(fromSysfs === undefined ? {} : { more: fromSysfs }) });
    }
  }
  return stats;
}

/** --no-collector.netdev.netlink: <procfs>/net/dev, its 16 columns. */
async function procNetDevStats(paths: Paths, filter: DeviceFilter, detailed: boolean): Promise<NetDevStats> {
  const stats: NetDevStats = new Map();
  for (const { device, values } of await readAndParse(paths.procFilePath('net/dev'), parseNetDevRows)) {
    if (!filter.ignored(device)) stats.set(device, { keys: detailed ? NET_DEV_COLUMNS : NET_DEV_LEGACY_KEYS, values });
  }
  return stats;
}

/** Go's scope() for node_network_address_info: link-local, interface-local, global or "". */
export function addressScope(address: string, family: 'IPv4' | 'IPv6'): string {
  if (family === 'IPv4') {
    const [a = 0, b = 0, c = 0] = address.split('.').map(Number);
    if (a === 127 || (a === 169 && b === 254) || (a === 224 && b === 0 && c === 0)) return 'link-local';
    const multicast = a >= 224 && a <= 239;
    return multicast || address === '0.0.0.0' || address === '255.255.255.255' ? '' : 'global';
  }
  const lower = address.toLowerCase();
  if (lower === '::1' || /^fe[89ab]/.test(lower) || /^ff[0-9a-f]2:/.test(lower)) return 'link-local';
  if (/^ff[0-9a-f]1:/.test(lower)) return 'interface-local';
  return lower === '::' || lower.startsWith('ff') ? '' : 'global';
}

function addAddresses(out: Sink, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>, filter: DeviceFilter): void {
  for (const [device, addrs] of Object.entries(interfaces)) {
    if (filter.ignored(device)) continue;
    for (const a of addrs ?? []) {
      const prefix = a.cidr?.split('/')[1];
      if (prefix === undefined) continue; // a non-contiguous netmask: upstream cannot parse it either
      out.add(addressInfo, 1, device, a.address, prefix, addressScope(a.address, a.family));
    }
  }
}

/** --collector.netdev.label-ifalias: ifalias of every interface in <sysfs>/class/net ("" when unreadable). */
async function ifaliases(paths: Paths): Promise<Map<string, string>> {
  const devices = await netClassDevices(paths);
  const texts = await readProcFiles(devices.map((d) => paths.sysFilePath(`class/net/${d}/ifalias`)));
  return new Map(
    devices.map((device, n) => {
      const text = texts[n];
      if (typeof text === 'string') return [device, text.trim()];
      if (isSkippableAttributeError(text)) return [device, ''];
      throw text ?? new Error(`read ifalias of ${device}: no result`);
    }),
  );
}

export function netdevDefinition(opts: NetdevOptions = {}): CollectorDefinition {
  return {
    name: 'netdev',
    defaultEnabled: true,
    options: [
      { flag: `${D}.device-include`, help: 'Report only interfaces matching this regexp (not together with device-exclude).' },
      { flag: `${D}.device-whitelist`, help: 'Old name of --collector.netdev.device-include.', hidden: true },
      { flag: `${D}.device-exclude`, help: 'Skip interfaces matching this regexp (not together with device-include).' },
      { flag: `${D}.device-blacklist`, help: 'Old name of --collector.netdev.device-exclude.', hidden: true },
      { flag: `${D}.address-info`, help: 'Also report each interface address as node_network_address_info.', boolean: true },
      {
        flag: `${D}.enable-detailed-metrics`,
        help: "Report the kernel's detailed error counters under their own names instead of the /proc/net/dev sums (different metric names).",
        boolean: true,
      },
      { flag: `${D}.netlink`, help: "Read the exporter's own network namespace, as netlink does, instead of <procfs>/net/dev (default: true).", boolean: true },
      { flag: `${D}.label-ifalias`, help: "Add each interface's alias (sysfs ifalias) as an ifalias label.", boolean: true },
    ],
    create({ paths, logger, options }) {
      const filter = deviceFilter(options, logger);
      const flag = (name: string, fallback: boolean) => booleanOption(options, `${D}.${name}`, fallback);
      const netlink = flag('netlink', true);
      const detailed = flag('enable-detailed-metrics', false);
      const withAddresses = flag('address-info', false);
      const labelIfalias = flag('label-ifalias', false);
      const own = opts.ownNamespace ?? ownPaths();
      const interfaces = opts.interfaces ?? networkInterfaces;
      const ahead = new ReadAhead();
      // One family per kernel counter (its set depends on the kernel and on detailed mode, so it
      // stays bounded): each Desc made once, not looked up by name for every device.
      const byCounter = new Map<string, Desc>();
      const descFor = (key: string): Desc => {
        let d = byCounter.get(key);
        if (d === undefined) byCounter.set(key, (d = newDesc(`node_network_${key}_total`, `Network device counter ${key}.`, 'counter', labelNames)));
        return d;
      };
      const labelNames = labelIfalias ? ['device', 'ifalias'] : ['device'];
      return {
        async collect(_ctx, out) {
          const stats = netlink ? await ownNamespaceStats(own, filter, detailed, ahead) : await procNetDevStats(paths, filter, detailed);
          const aliases = labelIfalias ? await ifaliases(paths) : undefined;
          // forEach: no entry array per counter where V8 leaves a for-of unoptimised (Node 24).
          stats.forEach(({ keys, values, more }, device) => {
            if (aliases === undefined) {
              for (let j = 0; j < keys.length; j++) out.add(descFor(keys[j] as string), values[j] as number, device);
              more?.forEach((value, key) => out.add(descFor(key), value, device));
            } else {
              const alias = aliases.get(device) ?? '';
              for (let j = 0; j < keys.length; j++) out.add(descFor(keys[j] as string), values[j] as number, device, alias);
              more?.forEach((value, key) => out.add(descFor(key), value, device, alias));
            }
          });
          if (withAddresses) addAddresses(out, interfaces(), filter);
        },
      };
    },
  };
}

export const netdev = netdevDefinition();
