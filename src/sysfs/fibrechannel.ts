import { ParseError } from '../procfs/parse-error.js';
import { parseGoUnsignedBig } from '../procfs/go-number.js';

/** Attributes of /sys/class/fc_host/<host> that node_exporter reports. */
export const FC_HOST_ATTRIBUTES = [
  'speed',
  'port_state',
  'port_type',
  'node_name',
  'port_id',
  'port_name',
  'fabric_name',
  'dev_loss_tmo',
  'symbolic_name',
  'supported_classes',
  'supported_speeds',
] as const;

/** Counter files under <host>/statistics that node_exporter reports. */
export const FC_HOST_COUNTERS = [
  'dumped_frames',
  'error_frames',
  'invalid_crc_count',
  'rx_frames',
  'rx_words',
  'tx_frames',
  'tx_words',
  'seconds_since_last_reset',
  'invalid_tx_word_count',
  'link_failure_count',
  'loss_of_sync_count',
  'loss_of_signal_count',
  'nos_count',
  'fcp_packet_aborts',
] as const;

export type FcHostAttribute = (typeof FC_HOST_ATTRIBUTES)[number];
export type FcHostCounter = (typeof FC_HOST_COUNTERS)[number];

export interface FibreChannelHost {
  name: string;
  /** Attribute → text; the WWN-style ones (node/port/fabric name, port_id) without "0x". */
  attributes: Map<FcHostAttribute, string>;
  /**
   * Counter → value. Left out: counters the driver lacks, and those reading all ones
   * (0xffffffffffffffff), the fc transport's "not supported" value.
   */
  counters: Map<FcHostCounter, number>;
}

const UINT64_MAX = 2n ** 64n - 1n;
const HEX_PREFIXED = new Set<FcHostAttribute>(['node_name', 'port_id', 'port_name', 'fabric_name']);

/**
 * An unsigned 64-bit number in any base Go's strconv.ParseUint(s, 0, 64) takes: 0x hex, 0o or
 * leading-0 octal, 0b binary, decimal, "_" between digits. The fc counters are printed as hex.
 */
export function parseUintBase0(text: string): bigint | undefined {
  const value = parseGoUnsignedBig(text);
  return value === undefined || value > UINT64_MAX ? undefined : value;
}

/**
 * One fc_host from its attribute texts (already trimmed; absent files absent) and its
 * statistics texts. A counter that is not a number throws a ParseError naming
 * `statistics/<counter>`.
 */
export function parseFibreChannelHost(name: string, attributes: ReadonlyMap<string, string>, statistics: ReadonlyMap<string, string>): FibreChannelHost {
  const host: FibreChannelHost = { name, attributes: new Map(), counters: new Map() };
  for (const attr of FC_HOST_ATTRIBUTES) {
    const text = attributes.get(attr);
    if (text === undefined) continue;
    host.attributes.set(attr, HEX_PREFIXED.has(attr) && text.length > 2 ? text.slice(2) : text);
  }
  for (const counter of FC_HOST_COUNTERS) {
    const text = statistics.get(counter);
    if (text === undefined) continue;
    const value = parseUintBase0(text);
    // The error names the file relative to the host directory; the caller makes it absolute.
    if (value === undefined) throw new ParseError(`invalid counter ${JSON.stringify(text)}`, text).withFile(`statistics/${counter}`);
    if (value !== UINT64_MAX) host.counters.set(counter, Number(value));
  }
  return host;
}
