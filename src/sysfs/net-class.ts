import { parseGoInt } from '../procfs/go-number.js';
import { ParseError, parseUint } from '../procfs/parse-error.js';
import { errnoIn } from '../errno.js';

/** One /sys/class/net/<iface> directory: every attribute the kernel let us read. */
export interface NetClassIface {
  name: string;
  addrAssignType?: number;
  addrLen?: number;
  address: string;
  broadcast: string;
  carrier?: number;
  carrierChanges?: number;
  carrierUpCount?: number;
  carrierDownCount?: number;
  devId?: number;
  dormant?: number;
  duplex: string;
  flags?: number;
  ifalias: string;
  ifindex?: number;
  iflink?: number;
  linkMode?: number;
  mtu?: number;
  nameAssignType?: number;
  netdevGroup?: number;
  operstate: string;
  /** Mbit/s; -1 (or another negative) when the driver does not know. */
  speed?: number;
  txQueueLen?: number;
  type?: number;
}

type StringKey = 'address' | 'broadcast' | 'duplex' | 'ifalias' | 'operstate';
type NumberKey = Exclude<keyof NetClassIface, StringKey | 'name'>;

const NUMBER_ATTRIBUTES: ReadonlyMap<string, NumberKey> = new Map(
  Object.entries({
    addr_assign_type: 'addrAssignType',
    addr_len: 'addrLen',
    carrier: 'carrier',
    carrier_changes: 'carrierChanges',
    carrier_up_count: 'carrierUpCount',
    carrier_down_count: 'carrierDownCount',
    dev_id: 'devId',
    dormant: 'dormant',
    flags: 'flags',
    ifindex: 'ifindex',
    iflink: 'iflink',
    link_mode: 'linkMode',
    mtu: 'mtu',
    name_assign_type: 'nameAssignType',
    netdev_group: 'netdevGroup',
    speed: 'speed',
    tx_queue_len: 'txQueueLen',
    type: 'type',
  } satisfies Record<string, NumberKey>),
);

const STRING_ATTRIBUTES: ReadonlyMap<string, StringKey> = new Map(
  Object.entries({
    address: 'address',
    broadcast: 'broadcast',
    duplex: 'duplex',
    ifalias: 'ifalias',
    operstate: 'operstate',
  } satisfies Record<string, StringKey>),
);

/**
 * Errors some drivers give for some attributes (speed and duplex on a link that is down are
 * EINVAL, phys_port_id is EOPNOTSUPP): the attribute is left out, as upstream leaves it out.
 */
const SKIPPABLE = new Set(['ENOENT', 'EACCES', 'EPERM', 'EINVAL', 'EOPNOTSUPP', 'ENOTSUP']);

export function isSkippableAttributeError(err: unknown): boolean {
  return errnoIn(err, SKIPPABLE);
}

/** Every attribute file parseNetClassIface reads, by name. */
export const NET_CLASS_ATTRIBUTES: readonly string[] = [...NUMBER_ATTRIBUTES.keys(), ...STRING_ATTRIBUTES.keys()];

/** For each of NET_CLASS_ATTRIBUTES, in order: the record's key, and whether it holds a number. */
const ATTRIBUTE_KEYS: readonly [key: NumberKey | StringKey, numeric: boolean][] = NET_CLASS_ATTRIBUTES.map((file) => {
  const numberKey = NUMBER_ATTRIBUTES.get(file);
  return numberKey !== undefined ? [numberKey, true] : [STRING_ATTRIBUTES.get(file) as StringKey, false];
});

/**
 * Builds one interface's record from the attribute files that could be read (file name →
 * content). Values are trimmed as sysfs ends them with a newline; an attribute that is absent
 * (or that the driver refused to give) stays unset, so its metric is not emitted.
 */
export function parseNetClassIface(name: string, attributes: ReadonlyMap<string, string>): NetClassIface {
  return parseNetClassAttributes(
    name,
    NET_CLASS_ATTRIBUTES.map((file) => attributes.get(file)),
  );
}

/**
 * parseNetClassIface for contents given in NET_CLASS_ATTRIBUTES' order (undefined: not read),
 * as the reader has them: no map of names per interface.
 */
export function parseNetClassAttributes(name: string, texts: readonly (string | undefined)[]): NetClassIface {
  const iface: NetClassIface = { name, address: '', broadcast: '', duplex: '', ifalias: '', operstate: '' };
  for (let n = 0; n < ATTRIBUTE_KEYS.length; n++) {
    const raw = texts[n];
    if (raw === undefined) continue;
    const text = raw.trim();
    const entry = ATTRIBUTE_KEYS[n] as (typeof ATTRIBUTE_KEYS)[number];
    const key = entry[0];
    if (!entry[1]) {
      iface[key as StringKey] = text;
      continue;
    }
    // Go's ParseInt with base 0, as upstream reads them: flags is hex ("0x1003"), speed may be -1.
    const value = parseGoInt(text);
    if (value === undefined) throw new ParseError(`invalid ${NET_CLASS_ATTRIBUTES[n]} ${JSON.stringify(text)} of ${name}`);
    iface[key as NumberKey] = value;
  }
  return iface;
}

/**
 * /sys/class/net/<iface>/statistics/<file>: the kernel's rtnl_link_stats64, one counter per
 * file, the same numbers an RTM_GETLINK dump carries. File name → node_exporter's key.
 */
export const NET_STATISTICS_KEYS: ReadonlyMap<string, string> = new Map(
  [
    'rx_packets',
    'tx_packets',
    'rx_bytes',
    'tx_bytes',
    'rx_errors',
    'tx_errors',
    'rx_dropped',
    'tx_dropped',
    'multicast',
    'collisions',
    'rx_length_errors',
    'rx_over_errors',
    'rx_crc_errors',
    'rx_frame_errors',
    'rx_fifo_errors',
    'rx_missed_errors',
    'tx_aborted_errors',
    'tx_carrier_errors',
    'tx_fifo_errors',
    'tx_heartbeat_errors',
    'tx_window_errors',
    'rx_compressed',
    'tx_compressed',
    'rx_nohandler',
  ].map((file) => [file, file.replace(/^rx_/, 'receive_').replace(/^tx_/, 'transmit_')]),
);

/** One statistics file: a single unsigned decimal counter and a newline. */
export function parseNetStatistic(text: string): number {
  const value = text.trim();
  return parseUint(value, 'counter', value, 1);
}
