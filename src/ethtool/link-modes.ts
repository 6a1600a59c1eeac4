/**
 * Link-mode bitmaps of struct ethtool_cmd → node_network_* samples, as upstream's ethtool
 * collector emits them. The legacy masks are 32 bits wide, so only link modes 0-31 can show up.
 */
import type { Sample } from '../collector.js';
import type { LinkInfo } from './structs.js';

const AUTONEG = 6;
const PAUSE = 13;
const ASYM_PAUSE = 14;

/** Port-type bits (ETHTOOL_LINK_MODE_*_BIT) and their label. */
const PORTS: readonly [number, string][] = [[7, 'TP'], [8, 'AUI'], [9, 'MII'], [10, 'FIBRE'], [11, 'BNC'], [16, 'Backplane']];

/** Speed bits: [bit, Mb/s, duplex, PHY suffix of the mode label]. */
const SPEEDS: readonly [number, number, 'full' | 'half', string][] = [
  [0, 10, 'half', 'T'], [1, 10, 'full', 'T'], [2, 100, 'half', 'T'], [3, 100, 'full', 'T'],
  [4, 1000, 'half', 'T'], [5, 1000, 'full', 'T'], [12, 10000, 'full', 'T'], [17, 1000, 'full', 'KX'],
  [18, 10000, 'full', 'KX4'], [19, 10000, 'full', 'KR'], [20, 10000, 'full', 'R_FEC'], [21, 20000, 'full', 'MLD2'],
  [22, 20000, 'full', 'KR2'], [23, 40000, 'full', 'KR4'], [24, 40000, 'full', 'CR4'], [25, 40000, 'full', 'SR4'],
  [26, 40000, 'full', 'LR4'], [27, 56000, 'full', 'KR4'], [28, 56000, 'full', 'CR4'], [29, 56000, 'full', 'SR4'],
  [30, 56000, 'full', 'LR4'], [31, 25000, 'full', 'CR'],
];

export interface LinkSample {
  name: string;
  help: string;
  sample: Sample;
}

const has = (mask: number, bit: number) => ((mask >>> bit) & 1) === 1;

function speeds(prefix: 'supported' | 'advertised', device: string, mask: number): LinkSample[] {
  return SPEEDS.filter(([bit]) => has(mask, bit)).map(([, mbps, duplex, phy]) => ({
    name: `node_network_${prefix}_speed_bytes`,
    help: `Link speeds the interface ${prefix === 'supported' ? 'supports' : 'advertises'}, in bytes per second.`,
    sample: { labels: { device, duplex, mode: `${mbps}base${phy}` }, value: (mbps * 1e6) / 8 },
  }));
}

function capabilities(prefix: 'supported' | 'advertised', device: string, mask: number): LinkSample[] {
  const verb = prefix === 'supported' ? 'supported' : 'advertised';
  return [
    { name: `node_network_autonegotiate_${prefix}`, help: `Whether autonegotiation is ${verb} (1) or not (0).`, bit: AUTONEG },
    { name: `node_network_pause_${prefix}`, help: `Whether pause frames are ${verb} (1) or not (0).`, bit: PAUSE },
    { name: `node_network_asymmetricpause_${prefix}`, help: `Whether asymmetric pause is ${verb} (1) or not (0).`, bit: ASYM_PAUSE },
  ].map(({ name, help, bit }) => ({ name, help, sample: { labels: { device }, value: has(mask, bit) ? 1 : 0 } }));
}

export function linkModeSamples(device: string, link: LinkInfo): LinkSample[] {
  return [
    ...speeds('supported', device, link.supported),
    ...PORTS.filter(([bit]) => has(link.supported, bit)).map(([, type]) => ({
      name: 'node_network_supported_port_info',
      help: 'Port types the interface supports (1 per type).',
      sample: { labels: { device, type }, value: 1 },
    })),
    ...capabilities('supported', device, link.supported),
    ...speeds('advertised', device, link.advertising),
    ...capabilities('advertised', device, link.advertising),
    { name: 'node_network_autonegotiate', help: 'Whether autonegotiation is on (1) or off (0).', sample: { labels: { device }, value: link.autoneg } },
  ];
}
