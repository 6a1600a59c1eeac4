import { type CollectorDefinition, type Desc, DescTable, newDesc, NoDataError, type Sink } from '../collector.js';
import { compileRegexp } from '../config.js';
import { filterFromFlags } from '../device-filter.js';
import { ifaceIoctl, SIOCETHTOOL, SyscallError } from '../native.js';
import { readdir } from '../read/dir.js';
import {
  ETHTOOL_CMD_SIZE,
  ETHTOOL_DRVINFO_SIZE,
  ETHTOOL_GDRVINFO,
  ETHTOOL_GSET,
  ethtoolMetricName,
  ethtoolRequest,
  gstringsRequest,
  parseDriverInfo,
  parseGstrings,
  parseLinkInfo,
  parseStats,
  statsRequest,
} from '../ethtool/structs.js';
import { sanitizeMetricName } from '../metric-name.js';
import { decodeLinkModes, type EthtoolLinkModes, type LinkModeSet } from '../ethtool/link-modes.js';
import { hasErrno } from '../errno.js';

const F = 'collector.ethtool';

const info = newDesc('node_ethtool_info', 'Driver information of a network interface, as ethtool reports it.', 'gauge', [
  'bus_info',
  'device',
  'driver',
  'expansion_rom_version',
  'firmware_version',
  'version',
]);
const SPEED_LABELS = ['device', 'duplex', 'mode'];
const supportedSpeed = newDesc('node_network_supported_speed_bytes', 'Link speeds the interface supports, in bytes per second.', 'gauge', SPEED_LABELS);
const advertisedSpeed = newDesc('node_network_advertised_speed_bytes', 'Link speeds the interface advertises, in bytes per second.', 'gauge', SPEED_LABELS);
const supportedPort = newDesc('node_network_supported_port_info', 'Port types the interface supports (1 per type).', 'gauge', ['device', 'type']);
const DEVICE = ['device'];
const bit = (b: boolean) => (b ? 1 : 0);
/** The capability flags of each mask, then whether autonegotiation is on. */
const LINK_FLAGS: readonly [Desc, (m: EthtoolLinkModes) => number][] = [
  [newDesc('node_network_autonegotiate_supported', 'Whether autonegotiation is supported (1) or not (0).', 'gauge', DEVICE), (m) => bit(m.supported.autoneg)],
  [newDesc('node_network_pause_supported', 'Whether pause frames are supported (1) or not (0).', 'gauge', DEVICE), (m) => bit(m.supported.pause)],
  [newDesc('node_network_asymmetricpause_supported', 'Whether asymmetric pause is supported (1) or not (0).', 'gauge', DEVICE), (m) => bit(m.supported.asymmetricPause)],
  [newDesc('node_network_autonegotiate_advertised', 'Whether autonegotiation is advertised (1) or not (0).', 'gauge', DEVICE), (m) => bit(m.advertised.autoneg)],
  [newDesc('node_network_pause_advertised', 'Whether pause frames are advertised (1) or not (0).', 'gauge', DEVICE), (m) => bit(m.advertised.pause)],
  [newDesc('node_network_asymmetricpause_advertised', 'Whether asymmetric pause is advertised (1) or not (0).', 'gauge', DEVICE), (m) => bit(m.advertised.asymmetricPause)],
  [newDesc('node_network_autonegotiate', 'Whether autonegotiation is on (1) or off (0).', 'gauge', DEVICE), (m) => m.autoneg],
];

function addLinkModes(out: Sink, device: string, m: EthtoolLinkModes): void {
  const speeds = (desc: Desc, set: LinkModeSet) => {
    for (const s of set.speeds) out.add(desc, s.bytesPerSecond, device, s.duplex, s.mode);
  };
  speeds(supportedSpeed, m.supported);
  speeds(advertisedSpeed, m.advertised);
  // Ports only of the supported mask: upstream reports no advertised ports.
  for (const type of m.supported.ports) out.add(supportedPort, 1, device, type);
  for (const [desc, get] of LINK_FLAGS) out.add(desc, get(m), device);
}

/** Stats upstream gives a fixed, counter-style name instead of the generic rename. */
const FIXED_NAMES: Record<string, string> = {
  rx_bytes: 'node_ethtool_received_bytes_total',
  rx_dropped: 'node_ethtool_received_dropped_total',
  rx_errors: 'node_ethtool_received_errors_total',
  rx_packets: 'node_ethtool_received_packets_total',
  tx_bytes: 'node_ethtool_transmitted_bytes_total',
  tx_errors: 'node_ethtool_transmitted_errors_total',
  tx_packets: 'node_ethtool_transmitted_packets_total',
};

/** Stat names (ETH_SS_STATS strings) and values; `nStats` comes from the driver info. */
async function deviceStats(device: string, nStats: number): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (nStats === 0) return out;
  const names = parseGstrings(await ifaceIoctl(device, SIOCETHTOOL, gstringsRequest(nStats)));
  const values = parseStats(await ifaceIoctl(device, SIOCETHTOOL, statsRequest(nStats)));
  names.forEach((n, i) => {
    const v = values[i];
    if (v !== undefined) out.set(n, v);
  });
  return out;
}

export const ethtool: CollectorDefinition = {
  name: 'ethtool',
  defaultEnabled: false,
  options: [
    { flag: `${F}.device-include`, help: 'Regexp of devices to query with ethtool (exclusive with device-exclude).' },
    { flag: `${F}.device-exclude`, help: 'Regexp of devices not to query with ethtool (exclusive with device-include).' },
    { flag: `${F}.metrics-include`, help: 'Regexp of ethtool statistic names to report.', defaultValue: '.*' },
  ],
  create({ paths, options, explicit, logger }) {
    const filter = filterFromFlags({ include: `${F}.device-include`, exclude: `${F}.device-exclude` }, options, explicit, logger);
    const mi = options.get(`${F}.metrics-include`);
    const metrics = compileRegexp(typeof mi === 'string' ? mi : '.*', `${F}.metrics-include`);
    // Errors other than "not supported" are worth a log line; the device is still skipped alone.
    const note = (what: string, device: string, err: unknown) => {
      if (err instanceof SyscallError && (err.code === 'EOPNOTSUPP' || err.code === 'ENOTSUP')) logger.debug(`ethtool ${what} error`, { device, err: err.message });
      else logger.error(`ethtool ${what} error`, { device, err: err instanceof Error ? err.message : String(err) });
    };
    // One family per driver statistic: names known only at run time.
    const descs = new DescTable();
    return {
      async collect(_ctx, out) {
        let devices: string[];
        try {
          devices = (await readdir(paths.sysFilePath('class/net'))).sort();
        } catch (err) {
          if (hasErrno(err, 'ENOENT', 'EACCES')) throw new NoDataError(`ethtool: ${(err as Error).message}`);
          throw err;
        }
        if (devices.length === 0) throw new Error('no network devices found');
        descs.nextRound();
        for (const device of devices) {
          if (filter.ignored(device)) continue;
          try {
            const link = parseLinkInfo(await ifaceIoctl(device, SIOCETHTOOL, ethtoolRequest(ETHTOOL_GSET, ETHTOOL_CMD_SIZE)));
            addLinkModes(out, device, decodeLinkModes(link));
          } catch (err) {
            note('link info', device, err);
          }
          let stats = new Map<string, number>();
          try {
            const drv = parseDriverInfo(await ifaceIoctl(device, SIOCETHTOOL, ethtoolRequest(ETHTOOL_GDRVINFO, ETHTOOL_DRVINFO_SIZE)));
            out.addv(info, 1, [drv.busInfo, device, drv.driver, drv.eromVersion, drv.fwVersion, drv.version]);
            stats = await deviceStats(device, drv.nStats);
          } catch (err) {
            note('stats', device, err);
          }
          // Two statistics that end up with one metric name are both dropped, as upstream does.
          const byName = new Map<string, { stat: string; value: number } | null>();
          for (const [raw, value] of stats) {
            const stat = sanitizeMetricName(raw);
            if (!metrics.test(stat)) continue;
            const name = FIXED_NAMES[stat] ?? ethtoolMetricName(stat);
            byName.set(name, byName.has(name) ? null : { stat, value });
          }
          for (const [name, e] of byName) if (e !== null) out.add(descs.get(name, `Network interface statistic ${e.stat}.`, 'untyped', DEVICE), e.value, device);
        }
      },
    };
  },
};
