import { family, NoDataError, type CollectorDefinition, type MetricFamily, type Sample } from '../collector.js';
import { compileRegexp } from '../config.js';
import { filterFromFlags } from '../device-filter.js';
import { ifaceIoctl, SIOCETHTOOL, SyscallError } from '../native.js';
import { readdir } from '../procfs/dir.js';
import {
  ETHTOOL_CMD_SIZE, ETHTOOL_DRVINFO_SIZE, ETHTOOL_GDRVINFO, ETHTOOL_GSET, ethtoolMetricName, ethtoolRequest,
  gstringsRequest, parseDriverInfo, parseGstrings, parseLinkInfo, parseStats, sanitizeMetricName, statsRequest,
} from '../ethtool/structs.js';
import { linkModeSamples } from '../ethtool/link-modes.js';
import { hasErrno } from '../procfs/read.js';

const F = 'collector.ethtool';

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
    return {
      async collect(): Promise<MetricFamily[]> {
        let devices: string[];
        try {
          devices = (await readdir(paths.sysFilePath('class/net'))).sort();
        } catch (err) {
          if (hasErrno(err, 'ENOENT', 'EACCES')) throw new NoDataError(`ethtool: ${(err as Error).message}`);
          throw err;
        }
        if (devices.length === 0) throw new Error('no network devices found');
        const fams = new Map<string, { help: string; type: 'gauge' | 'untyped'; samples: Sample[] }>();
        const add = (name: string, help: string, type: 'gauge' | 'untyped', s: Sample) => {
          let f = fams.get(name);
          if (f === undefined) fams.set(name, (f = { help, type, samples: [] }));
          f.samples.push(s);
        };
        for (const device of devices) {
          if (filter.ignored(device)) continue;
          try {
            const link = parseLinkInfo(await ifaceIoctl(device, SIOCETHTOOL, ethtoolRequest(ETHTOOL_GSET, ETHTOOL_CMD_SIZE)));
            for (const m of linkModeSamples(device, link)) add(m.name, m.help, 'gauge', m.sample);
          } catch (err) {
            note('link info', device, err);
          }
          let stats = new Map<string, number>();
          try {
            const drv = parseDriverInfo(await ifaceIoctl(device, SIOCETHTOOL, ethtoolRequest(ETHTOOL_GDRVINFO, ETHTOOL_DRVINFO_SIZE)));
            add('node_ethtool_info', 'Driver information of a network interface, as ethtool reports it.', 'gauge', {
              labels: { bus_info: drv.busInfo, device, driver: drv.driver, expansion_rom_version: drv.eromVersion, firmware_version: drv.fwVersion, version: drv.version },
              value: 1,
            });
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
          for (const name of [...byName.keys()].sort()) {
            const e = byName.get(name);
            if (e) add(name, `Network interface statistic ${e.stat}.`, 'untyped', { labels: { device }, value: e.value });
          }
        }
        return [...fams].map(([name, f]) => family(name, f.help, f.type, f.samples));
      },
    };
  },
};
