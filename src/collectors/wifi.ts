import path from 'node:path';
import { newDesc, NoDataError, type CollectorDefinition, type Desc } from '../collector.js';
import { SyscallError } from '../native.js';
import { resolveFamily, type GenlFamily } from '../netlink/genl.js';
import { dumpBss, dumpInterfaces, dumpStations } from '../netlink/nl80211.js';
import { parseWifiBss, parseWifiInterfaces, parseWifiStations, type WifiBss, type WifiInterface, type WifiStation } from '../netlink/wifi-fixture.js';
import { ifMissing, readAndParse } from '../read/files.js';

const W = 'collector.wifi';

const frequency = newDesc('node_wifi_interface_frequency_hertz', 'Frequency the wireless interface operates at, in hertz.', 'gauge', ['device']);
const stationInfo = newDesc('node_wifi_station_info', 'The BSS the wireless interface belongs to, in labels; always 1.', 'gauge', ['device', 'bssid', 'ssid', 'mode']);
const STATION_LABELS = ['device', 'mac_address'];
const STATION: readonly [Desc, (s: WifiStation) => number][] = [
  [newDesc('node_wifi_station_connected_seconds_total', 'Seconds the station has been connected.', 'counter', STATION_LABELS), (s) => s.connectedSeconds],
  [newDesc('node_wifi_station_inactive_seconds', 'Seconds since the station was last active.', 'gauge', STATION_LABELS), (s) => s.inactiveSeconds],
  [newDesc('node_wifi_station_receive_bits_per_second', 'Current receive bitrate of the station, in bits per second.', 'gauge', STATION_LABELS), (s) => s.receiveBitrate],
  [newDesc('node_wifi_station_transmit_bits_per_second', 'Current transmit bitrate of the station, in bits per second.', 'gauge', STATION_LABELS), (s) => s.transmitBitrate],
  [newDesc('node_wifi_station_receive_bytes_total', 'Bytes received from the station.', 'counter', STATION_LABELS), (s) => s.receivedBytes],
  [newDesc('node_wifi_station_transmit_bytes_total', 'Bytes transmitted to the station.', 'counter', STATION_LABELS), (s) => s.transmittedBytes],
  [newDesc('node_wifi_station_signal_dbm', 'Signal strength of the station, in dBm.', 'gauge', STATION_LABELS), (s) => s.signal],
  [newDesc('node_wifi_station_transmit_retries_total', 'Transmissions to the station that needed a retry.', 'counter', STATION_LABELS), (s) => s.transmitRetries],
  [newDesc('node_wifi_station_transmit_failed_total', 'Transmissions to the station that failed.', 'counter', STATION_LABELS), (s) => s.transmitFailed],
  [newDesc('node_wifi_station_beacon_loss_total', 'Beacon losses the station detected.', 'counter', STATION_LABELS), (s) => s.beaconLoss],
  [newDesc('node_wifi_station_transmitted_packets_total', 'Packets transmitted to the station.', 'counter', STATION_LABELS), (s) => s.transmittedPackets],
  [newDesc('node_wifi_station_received_packets_total', 'Packets received from the station.', 'counter', STATION_LABELS), (s) => s.receivedPackets],
];

/** Where the wifi data comes from: nl80211, or upstream's fixture directory in e2e tests. */
interface WifiSource {
  interfaces(): Promise<WifiInterface[]>;
  /** undefined: the interface has no BSS (not associated, or not a station). */
  bss(ifi: WifiInterface): Promise<WifiBss | undefined>;
  /** undefined: the interface has no station information. */
  stations(ifi: WifiInterface): Promise<WifiStation[] | undefined>;
}

function fixtureSource(dir: string): WifiSource {
  return {
    interfaces: () => readAndParse(path.join(dir, 'interfaces.json'), parseWifiInterfaces),
    bss: (ifi) => readAndParse(path.join(dir, ifi.name, 'bss.json'), parseWifiBss).catch(ifMissing(undefined)),
    stations: (ifi) => readAndParse(path.join(dir, ifi.name, 'stationinfo.json'), parseWifiStations).catch(ifMissing(undefined)),
  };
}

/** ENOENT from the kernel means "no such data here", as upstream's os.ErrNotExist. */
const notFound = (err: unknown) => {
  if (err instanceof SyscallError && err.code === 'ENOENT') return undefined;
  throw err;
};

/** nl80211 over generic netlink; resolved per scrape, as upstream dials per scrape. */
async function netlinkSource(): Promise<WifiSource> {
  let nl80211: GenlFamily | undefined;
  try {
    nl80211 = await resolveFamily('nl80211');
  } catch (err) {
    // Upstream treats "not permitted" like "not there": no data rather than a failure.
    if (err instanceof SyscallError && (err.code === 'EPERM' || err.code === 'EACCES')) throw new NoDataError(`wifi: ${err.message}`);
    throw err;
  }
  if (nl80211 === undefined) throw new NoDataError('wifi: the kernel has no nl80211 (no wireless drivers loaded)');
  const f = nl80211;
  return {
    interfaces: () => dumpInterfaces(f),
    bss: (ifi) => dumpBss(f, ifi).catch(notFound),
    stations: (ifi) => dumpStations(f, ifi).catch(notFound),
  };
}

/** The mode label of the station_info series, from the nl80211 BSS status. */
function bssMode(status: number): string {
  // 0 authenticated, 1 associated: we are a client of that BSS; 3: joined an IBSS (ad-hoc).
  if (status === 0 || status === 1) return 'client';
  if (status === 3) return 'ad-hoc';
  return 'unknown';
}

export const wifi: CollectorDefinition = {
  name: 'wifi',
  defaultEnabled: false,
  options: [{ flag: `${W}.fixtures`, help: 'Read wifi data from this directory of JSON files instead of nl80211 (for end-to-end tests).', defaultValue: '' }],
  create({ options }) {
    const fixtures = options.get(`${W}.fixtures`);
    const dir = typeof fixtures === 'string' && fixtures !== '' ? fixtures : undefined;
    return {
      async collect(_ctx, out) {
        const source = dir !== undefined ? fixtureSource(dir) : await netlinkSource();
        const interfaces = await source.interfaces().catch((err: unknown) => {
          throw new Error(`failed to retrieve wifi interfaces: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        });
        for (const ifi of interfaces) {
          // Some virtual devices have no name; upstream skips them too.
          if (ifi.name === '') continue;
          const device = ifi.name;
          out.add(frequency, ifi.frequency * 1e6, device);
          const [bss, stations] = await Promise.all([source.bss(ifi), source.stations(ifi)]);
          if (bss !== undefined) out.add(stationInfo, 1, device, bss.bssid, bss.ssid, bssMode(bss.status));
          for (const s of stations ?? []) for (const [desc, get] of STATION) out.add(desc, get(s), device, s.hardwareAddr);
        }
      },
    };
  },
};
