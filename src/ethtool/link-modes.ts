/**
 * Link-mode bitmaps of struct ethtool_cmd, decoded into what upstream's ethtool collector
 * reports. The legacy masks are 32 bits wide, so only link modes 0-31 can show up.
 */
import type { LinkInfo } from './structs.js';

const AUTONEG = 6;
const PAUSE = 13;
const ASYM_PAUSE = 14;

/** Port-type bits (ETHTOOL_LINK_MODE_*_BIT) and their label. */
const PORTS: readonly [number, string][] = [
  [7, 'TP'],
  [8, 'AUI'],
  [9, 'MII'],
  [10, 'FIBRE'],
  [11, 'BNC'],
  [16, 'Backplane'],
];

/** Speed bits: [bit, Mb/s, duplex, PHY suffix of the mode label]. */
const SPEEDS: readonly [number, number, 'full' | 'half', string][] = [
  [0, 10, 'half', 'T'],
  [1, 10, 'full', 'T'],
  [2, 100, 'half', 'T'],
  [3, 100, 'full', 'T'],
  [4, 1000, 'half', 'T'],
  [5, 1000, 'full', 'T'],
  [12, 10000, 'full', 'T'],
  [17, 1000, 'full', 'KX'],
  [18, 10000, 'full', 'KX4'],
  [19, 10000, 'full', 'KR'],
  [20, 10000, 'full', 'R_FEC'],
  [21, 20000, 'full', 'MLD2'],
  [22, 20000, 'full', 'KR2'],
  [23, 40000, 'full', 'KR4'],
  [24, 40000, 'full', 'CR4'],
  [25, 40000, 'full', 'SR4'],
  [26, 40000, 'full', 'LR4'],
  [27, 56000, 'full', 'KR4'],
  [28, 56000, 'full', 'CR4'],
  [29, 56000, 'full', 'SR4'],
  [30, 56000, 'full', 'LR4'],
  [31, 25000, 'full', 'CR'],
];

export interface LinkSpeed {
  /** "1000baseT", as upstream labels it. */
  mode: string;
  duplex: 'full' | 'half';
  bytesPerSecond: number;
}

/** One mask (supported or advertising) decoded. */
export interface LinkModeSet {
  speeds: LinkSpeed[];
  /** Port types ("TP", "FIBRE", ...) whose bit is set. */
  ports: string[];
  autoneg: boolean;
  pause: boolean;
  asymmetricPause: boolean;
}

export interface EthtoolLinkModes {
  supported: LinkModeSet;
  advertised: LinkModeSet;
  /** ethtool_cmd.autoneg as the driver set it (1 on, 0 off). */
  autoneg: number;
}

const has = (mask: number, bit: number) => ((mask >>> bit) & 1) === 1;

function decodeMask(mask: number): LinkModeSet {
  return {
    speeds: SPEEDS.filter(([bit]) => has(mask, bit)).map(([, mbps, duplex, phy]) => ({ mode: `${mbps}base${phy}`, duplex, bytesPerSecond: (mbps * 1e6) / 8 })),
    ports: PORTS.filter(([bit]) => has(mask, bit)).map(([, type]) => type),
    autoneg: has(mask, AUTONEG),
    pause: has(mask, PAUSE),
    asymmetricPause: has(mask, ASYM_PAUSE),
  };
}

export function decodeLinkModes(link: LinkInfo): EthtoolLinkModes {
  return { supported: decodeMask(link.supported), advertised: decodeMask(link.advertising), autoneg: link.autoneg };
}
