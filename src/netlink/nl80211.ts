import { ParseError } from '../procfs/parse-error.js';
import { genlDump, type GenlFamily, type GenlMessage } from './genl.js';
import { attrString, attrUint, encodeAttribute, parseAttributes, type NetlinkAttribute } from './message.js';
import { formatHardwareAddr } from './go-json.js';
import type { WifiBss, WifiInterface, WifiStation } from './wifi-fixture.js';

/**
 * nl80211 (linux/nl80211.h), the kernel's wireless configuration family: interface, station
 * and BSS dumps parsed into the records the wifi collector reads (the same ones upstream's
 * fixture files describe). Pure parse* functions, then the live dumps.
 */
const CMD_GET_INTERFACE = 5;
const CMD_GET_STATION = 17;
const CMD_GET_SCAN = 32;
const ATTR_IFINDEX = 3;
const ATTR_IFNAME = 4;
const ATTR_IFTYPE = 5;
const ATTR_MAC = 6;
const ATTR_STA_INFO = 21;
const ATTR_WIPHY_FREQ = 38;
const ATTR_BSS = 47;
const STA_INACTIVE_TIME = 1;
const STA_RX_BYTES = 2;
const STA_TX_BYTES = 3;
const STA_SIGNAL = 7;
const STA_TX_BITRATE = 8;
const STA_RX_PACKETS = 9;
const STA_TX_PACKETS = 10;
const STA_TX_RETRIES = 11;
const STA_TX_FAILED = 12;
const STA_RX_BITRATE = 14;
const STA_CONNECTED_TIME = 16;
const STA_BEACON_LOSS = 18;
const STA_RX_BYTES64 = 23;
const STA_TX_BYTES64 = 24;
const RATE_BITRATE = 1;
const RATE_BITRATE32 = 5;
const BSS_BSSID = 1;
const BSS_INFORMATION_ELEMENTS = 6;
const BSS_STATUS = 9;
const IE_SSID = 0;

const u32 = (a: NetlinkAttribute, what: string) => {
  if (a.data.length < 4) throw new ParseError(`${what}: ${a.data.length}-byte attribute, want 4`);
  return a.data.readUInt32LE(0);
};

export function parseInterfaces(msgs: readonly GenlMessage[]): WifiInterface[] {
  return msgs.map((m) => {
    const ifi: WifiInterface = { index: 0, name: '', mac: Buffer.alloc(0), type: 0, frequency: 0 };
    for (const a of m.attributes) {
      if (a.type === ATTR_IFINDEX) ifi.index = u32(a, 'NL80211_ATTR_IFINDEX');
      else if (a.type === ATTR_IFNAME) ifi.name = attrString(a.data);
      else if (a.type === ATTR_MAC) ifi.mac = Buffer.from(a.data);
      else if (a.type === ATTR_IFTYPE) ifi.type = u32(a, 'NL80211_ATTR_IFTYPE');
      else if (a.type === ATTR_WIPHY_FREQ) ifi.frequency = u32(a, 'NL80211_ATTR_WIPHY_FREQ');
    }
    return ifi;
  });
}

/** The SSID from a BSS's information elements (id, length, data triples); the last SSID element wins. */
function ssidOf(ies: Buffer): string {
  let ssid = '';
  for (let at = 0; at < ies.length; ) {
    const id = ies[at];
    const len = ies[at + 1];
    if (id === undefined || len === undefined || at + 2 + len > ies.length) throw new ParseError(`BSS information element at byte ${at} overruns ${ies.length} bytes`);
    if (id === IE_SSID) ssid = ies.toString('utf8', at + 2, at + 2 + len);
    at += 2 + len;
  }
  return ssid;
}

/** The BSS the interface belongs to: the scan entry carrying a status. undefined when none does. */
export function parseBss(msgs: readonly GenlMessage[]): WifiBss | undefined {
  for (const m of msgs) {
    for (const a of m.attributes) {
      if (a.type !== ATTR_BSS) continue;
      const nested = parseAttributes(a.data);
      if (!nested.some((n) => n.type === BSS_STATUS)) continue;
      const bss: WifiBss = { ssid: '', bssid: '', status: 0 };
      for (const n of nested) {
        if (n.type === BSS_BSSID) bss.bssid = formatHardwareAddr(n.data);
        else if (n.type === BSS_STATUS) bss.status = u32(n, 'NL80211_BSS_STATUS');
        else if (n.type === BSS_INFORMATION_ELEMENTS) bss.ssid = ssidOf(n.data);
      }
      return bss;
    }
  }
  return undefined;
}

/** A rate_info nest → bits per second (the 32-bit field preferred over the old 16-bit one). */
function bitrate(data: Buffer): number {
  let rate32: number | undefined;
  let rate16 = 0;
  for (const r of parseAttributes(data)) {
    if (r.type === RATE_BITRATE32) rate32 = u32(r, 'NL80211_RATE_INFO_BITRATE32');
    else if (r.type === RATE_BITRATE && r.data.length >= 2) rate16 = r.data.readUInt16LE(0);
  }
  // The kernel counts in units of 100 kbit/s.
  return (rate32 !== undefined && rate32 !== 0 ? rate32 : rate16) * 100_000;
}

function parseStation(m: GenlMessage): WifiStation | undefined {
  const mac = m.attributes.find((a) => a.type === ATTR_MAC);
  const info = m.attributes.find((a) => a.type === ATTR_STA_INFO);
  if (info === undefined) return undefined;
  const s: WifiStation = {
    hardwareAddr: formatHardwareAddr(mac?.data ?? Buffer.alloc(0)),
    connectedSeconds: 0,
    inactiveSeconds: 0,
    receivedBytes: 0,
    transmittedBytes: 0,
    receivedPackets: 0,
    transmittedPackets: 0,
    receiveBitrate: 0,
    transmitBitrate: 0,
    signal: 0,
    transmitRetries: 0,
    transmitFailed: 0,
    beaconLoss: 0,
  };
  let rx64: number | undefined;
  let tx64: number | undefined;
  for (const a of parseAttributes(info.data)) {
    switch (a.type) {
      case STA_CONNECTED_TIME:
        s.connectedSeconds = u32(a, 'CONNECTED_TIME');
        break;
      case STA_INACTIVE_TIME: {
        // Milliseconds; whole seconds plus the fraction, as Go's Duration.Seconds() rounds.
        const ms = u32(a, 'INACTIVE_TIME');
        s.inactiveSeconds = Math.trunc(ms / 1000) + ((ms % 1000) * 1e6) / 1e9;
        break;
      }
      case STA_RX_BYTES:
        s.receivedBytes = u32(a, 'RX_BYTES');
        break;
      case STA_TX_BYTES:
        s.transmittedBytes = u32(a, 'TX_BYTES');
        break;
      case STA_RX_BYTES64:
        rx64 = attrUint(a.data, 'RX_BYTES64');
        break;
      case STA_TX_BYTES64:
        tx64 = attrUint(a.data, 'TX_BYTES64');
        break;
      case STA_SIGNAL:
        if (a.data.length < 1) throw new ParseError('SIGNAL: empty attribute');
        s.signal = a.data.readInt8(0);
        break;
      case STA_RX_PACKETS:
        s.receivedPackets = u32(a, 'RX_PACKETS');
        break;
      case STA_TX_PACKETS:
        s.transmittedPackets = u32(a, 'TX_PACKETS');
        break;
      case STA_TX_RETRIES:
        s.transmitRetries = u32(a, 'TX_RETRIES');
        break;
      case STA_TX_FAILED:
        s.transmitFailed = u32(a, 'TX_FAILED');
        break;
      case STA_BEACON_LOSS:
        s.beaconLoss = u32(a, 'BEACON_LOSS');
        break;
      case STA_RX_BITRATE:
        s.receiveBitrate = bitrate(a.data);
        break;
      case STA_TX_BITRATE:
        s.transmitBitrate = bitrate(a.data);
        break;
    }
  }
  // The 64-bit byte counters, where the kernel has them, do not wrap at 4 GiB.
  if (rx64 !== undefined) s.receivedBytes = rx64;
  if (tx64 !== undefined) s.transmittedBytes = tx64;
  return s;
}

/**
 * Station dump → stations. A message without station info makes the whole answer "not
 * available" (undefined), as upstream's library reports it and the collector then skips it.
 */
export function parseStations(msgs: readonly GenlMessage[]): WifiStation[] | undefined {
  const out: WifiStation[] = [];
  for (const m of msgs) {
    const s = parseStation(m);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

/** The attributes naming one interface in a per-interface request. */
function interfaceAttributes(ifi: WifiInterface): Buffer[] {
  const index = Buffer.alloc(4);
  index.writeUInt32LE(ifi.index);
  return [encodeAttribute(ATTR_IFINDEX, index), ...(ifi.mac.length > 0 ? [encodeAttribute(ATTR_MAC, ifi.mac)] : [])];
}

export async function dumpInterfaces(family: GenlFamily): Promise<WifiInterface[]> {
  return parseInterfaces(await genlDump(family, CMD_GET_INTERFACE));
}

export async function dumpBss(family: GenlFamily, ifi: WifiInterface): Promise<WifiBss | undefined> {
  return parseBss(await genlDump(family, CMD_GET_SCAN, interfaceAttributes(ifi)));
}

export async function dumpStations(family: GenlFamily, ifi: WifiInterface): Promise<WifiStation[] | undefined> {
  return parseStations(await genlDump(family, CMD_GET_STATION, interfaceAttributes(ifi)));
}
