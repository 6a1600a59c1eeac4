import { parseGoInt } from '../procfs/go-number.js';
import { ParseError } from '../procfs/parse-error.js';

/** "4: ACTIVE" (a port's state or phys_state file) → id and name. */
export function parseIbState(text: string): { id: number; name: string } {
  const parts = text.split(':');
  if (parts.length !== 2) throw new ParseError('want "ID: NAME"', text.trim(), 1);
  const id = (parts[0] ?? '').trim();
  if (!/^\d+$/.test(id) || Number(id) > 0xffffffff) throw new ParseError(`invalid state id ${JSON.stringify(id)}`, text.trim(), 1);
  return { id: Number(id), name: (parts[1] ?? '').trim() };
}

/**
 * "100 Gb/sec (4X EDR)" → bytes per second. The number is read at float32 precision and
 * scaled by 125000000 (Gb/s → B/s) with the fraction dropped, as procfs does.
 */
export function parseIbRate(text: string): number {
  const at = text.indexOf(' ');
  if (at < 0) throw new ParseError('want "<rate> <unit>"', text.trim(), 1);
  const num = text.slice(0, at).trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(num)) throw new ParseError(`invalid rate ${JSON.stringify(num)}`, text.trim(), 1);
  return Math.max(0, Math.trunc(Math.fround(Number(num)) * 125000000));
}

/**
 * A counter file: strconv.ParseUint with base 0 (decimal, 0x hex, leading-0 octal). Undefined
 * for "N/A (no PMA)", which ports without a performance management agent print.
 */
export function parseIbCounter(text: string): number | undefined {
  const t = text.trim();
  const v = /^[+-]/.test(t) ? undefined : parseGoInt(t);
  if (v !== undefined) return v;
  // ParseUint's range is uint64, past ParseInt's int64.
  if (/^[1-9]\d*$/.test(t) && BigInt(t) < 2n ** 64n) return Number(t);
  if (t.includes('N/A (no PMA)')) return undefined;
  throw new ParseError(`invalid counter value ${JSON.stringify(t)}`, t, 1);
}

/**
 * Counter files → metric names (without node_infiniband_), by directory. Data counters count
 * 4-byte words; `words` marks those that upstream turns into bytes.
 */
export const IB_COUNTERS: Readonly<Record<'counters' | 'counters_ext' | 'hw_counters', Readonly<Record<string, { metric: string; words?: boolean }>>>> = {
  counters: {
    excessive_buffer_overrun_errors: { metric: 'excessive_buffer_overrun_errors_total' },
    link_downed: { metric: 'link_downed_total' },
    link_error_recovery: { metric: 'link_error_recovery_total' },
    local_link_integrity_errors: { metric: 'local_link_integrity_errors_total' },
    multicast_rcv_packets: { metric: 'multicast_packets_received_total' },
    multicast_xmit_packets: { metric: 'multicast_packets_transmitted_total' },
    port_rcv_constraint_errors: { metric: 'port_constraint_errors_received_total' },
    port_rcv_data: { metric: 'port_data_received_bytes_total', words: true },
    port_rcv_discards: { metric: 'port_discards_received_total' },
    port_rcv_errors: { metric: 'port_errors_received_total' },
    port_rcv_packets: { metric: 'port_packets_received_total' },
    port_rcv_remote_physical_errors: { metric: 'port_receive_remote_physical_errors_total' },
    port_rcv_switch_relay_errors: { metric: 'port_receive_switch_relay_errors_total' },
    port_xmit_constraint_errors: { metric: 'port_constraint_errors_transmitted_total' },
    port_xmit_data: { metric: 'port_data_transmitted_bytes_total', words: true },
    port_xmit_discards: { metric: 'port_discards_transmitted_total' },
    port_xmit_packets: { metric: 'port_packets_transmitted_total' },
    port_xmit_wait: { metric: 'port_transmit_wait_total' },
    symbol_error: { metric: 'symbol_error_total' },
    unicast_rcv_packets: { metric: 'unicast_packets_received_total' },
    unicast_xmit_packets: { metric: 'unicast_packets_transmitted_total' },
    VL15_dropped: { metric: 'vl15_dropped_total' },
  },
  counters_ext: {
    port_multicast_rcv_packets: { metric: 'legacy_multicast_packets_received_total' },
    port_multicast_xmit_packets: { metric: 'legacy_multicast_packets_transmitted_total' },
    port_rcv_data_64: { metric: 'legacy_data_received_bytes_total', words: true },
    port_rcv_packets_64: { metric: 'legacy_packets_received_total' },
    port_unicast_rcv_packets: { metric: 'legacy_unicast_packets_received_total' },
    port_unicast_xmit_packets: { metric: 'legacy_unicast_packets_transmitted_total' },
    port_xmit_data_64: { metric: 'legacy_data_transmitted_bytes_total', words: true },
    port_xmit_packets_64: { metric: 'legacy_packets_transmitted_total' },
  },
  hw_counters: {
    duplicate_request: { metric: 'duplicate_requests_packets_total' },
    implied_nak_seq_err: { metric: 'implied_nak_seq_errors_total' },
    local_ack_timeout_err: { metric: 'local_ack_timeout_errors_total' },
    np_cnp_sent: { metric: 'np_cnp_packets_sent_total' },
    np_ecn_marked_roce_packets: { metric: 'np_ecn_marked_roce_packets_received_total' },
    out_of_buffer: { metric: 'out_of_buffer_drops_total' },
    out_of_sequence: { metric: 'out_of_sequence_packets_received_total' },
    packet_seq_err: { metric: 'packet_sequence_errors_total' },
    req_cqe_error: { metric: 'req_cqes_errors_total' },
    req_cqe_flush_error: { metric: 'req_cqes_flush_errors_total' },
    req_remote_access_errors: { metric: 'req_remote_access_errors_total' },
    req_remote_invalid_request: { metric: 'req_remote_invalid_request_errors_total' },
    resp_cqe_error: { metric: 'resp_cqes_errors_total' },
    resp_cqe_flush_error: { metric: 'resp_cqes_flush_errors_total' },
    resp_local_length_error: { metric: 'resp_local_length_errors_total' },
    resp_remote_access_errors: { metric: 'resp_remote_access_errors_total' },
    rnr_nak_retry_err: { metric: 'rnr_nak_retry_packets_received_total' },
    roce_adp_retrans: { metric: 'roce_adp_retransmits_total' },
    roce_adp_retrans_to: { metric: 'roce_adp_retransmits_timeout_total' },
    roce_slow_restart: { metric: 'roce_slow_restart_used_total' },
    roce_slow_restart_cnps: { metric: 'roce_slow_restart_cnps_total' },
    roce_slow_restart_trans: { metric: 'roce_slow_restart_total' },
    rp_cnp_handled: { metric: 'rp_cnp_packets_handled_total' },
    rp_cnp_ignored: { metric: 'rp_cnp_ignored_packets_received_total' },
    rx_atomic_requests: { metric: 'rx_atomic_requests_total' },
    rx_dct_connect: { metric: 'rx_dct_connect_requests_total' },
    rx_icrc_encapsulated: { metric: 'rx_icrc_encapsulated_errors_total' },
    rx_read_requests: { metric: 'rx_read_requests_total' },
    rx_write_requests: { metric: 'rx_write_requests_total' },
  },
};
