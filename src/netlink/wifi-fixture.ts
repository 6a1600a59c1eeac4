import { asArray, asObject, formatHardwareAddr, goBytes, goInt, goString, parseJson } from './go-json.js';

/** A wireless interface (nl80211's view). `frequency` in MHz; name '' for nameless virtual devices. */
export interface WifiInterface {
  /** Kernel interface index (0 when unknown). */
  index: number;
  name: string;
  /** The interface's own MAC address (empty when unknown). */
  mac: Buffer;
  type: number;
  frequency: number;
}

/** The BSS an interface is part of. `status` as nl80211's BSS status (0 authenticated … 3 IBSS joined). */
export interface WifiBss {
  ssid: string;
  /** Formatted like "00:11:22:33:44:55". */
  bssid: string;
  status: number;
}

/** One station (peer) of an interface. Durations in seconds, bitrates in bit/s. */
export interface WifiStation {
  hardwareAddr: string;
  connectedSeconds: number;
  inactiveSeconds: number;
  receivedBytes: number;
  transmittedBytes: number;
  receivedPackets: number;
  transmittedPackets: number;
  receiveBitrate: number;
  transmitBitrate: number;
  signal: number;
  transmitRetries: number;
  transmitFailed: number;
  beaconLoss: number;
}

// Upstream's fixture files are Go structs written as JSON: durations in nanoseconds,
// hardware addresses as base64 bytes.
const NS_PER_SECOND = 1e9;

/** Whole seconds plus the fraction, as Go's Duration.Seconds() rounds. */
function seconds(ns: number): number {
  return Math.trunc(ns / NS_PER_SECOND) + (ns % NS_PER_SECOND) / NS_PER_SECOND;
}

/** `interfaces.json`: a JSON array of interfaces. */
export function parseWifiInterfaces(text: string): WifiInterface[] {
  return asArray(parseJson(text), 'interfaces').map((item, i) => {
    const o = asObject(item, `interface ${i}`);
    return {
      index: goInt(o, 'Index', false),
      name: goString(o, 'Name'),
      mac: goBytes(o, 'HardwareAddr'),
      type: goInt(o, 'Type', false),
      frequency: goInt(o, 'Frequency', false),
    };
  });
}

/** `<device>/bss.json`: one BSS object. */
export function parseWifiBss(text: string): WifiBss {
  const o = asObject(parseJson(text), 'bss');
  return { ssid: goString(o, 'SSID'), bssid: formatHardwareAddr(goBytes(o, 'BSSID')), status: goInt(o, 'Status', false) };
}

/** `<device>/stationinfo.json`: a JSON array of stations. */
export function parseWifiStations(text: string): WifiStation[] {
  return asArray(parseJson(text), 'stations').map((item, i) => {
    const o = asObject(item, `station ${i}`);
    const n = (name: string) => goInt(o, name, false);
    return {
      hardwareAddr: formatHardwareAddr(goBytes(o, 'HardwareAddr')),
      connectedSeconds: seconds(n('Connected')),
      inactiveSeconds: seconds(n('Inactive')),
      receivedBytes: n('ReceivedBytes'),
      transmittedBytes: n('TransmittedBytes'),
      receivedPackets: n('ReceivedPackets'),
      transmittedPackets: n('TransmittedPackets'),
      receiveBitrate: n('ReceiveBitrate'),
      transmitBitrate: n('TransmitBitrate'),
      signal: n('Signal'),
      transmitRetries: n('TransmitRetries'),
      transmitFailed: n('TransmitFailed'),
      beaconLoss: n('BeaconLoss'),
    };
  });
}
