import { ParseError } from './parse-error.js';

/** Totals over every socket of /proc/net/udp or udp6. */
export interface UdpSummary {
  /** Bytes queued for sending, summed over sockets. */
  txQueue: number;
  /** Bytes queued for reading, summed over sockets. */
  rxQueue: number;
  sockets: number;
  drops: number;
}

const HEX = /^[0-9a-fA-F]+$/;
/** "0100007F:0035": an IPv4 (8 hex digits) or IPv6 (32) address and a hex port. */
const ADDRESS = /^(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{32}):[0-9a-fA-F]{1,4}$/;

/**
 * /proc/net/udp{,6}: a header, then one line per socket:
 * "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
 * ref pointer drops". Every line is checked as node_exporter (procfs) checks it, so a garbled
 * file is an error rather than a silent undercount.
 */
export function parseUdpSummary(text: string): UdpSummary {
  const sum: UdpSummary = { txQueue: 0, rxQueue: 0, sockets: 0, drops: 0 };
  text.split('\n').forEach((line, i) => {
    const lineNumber = i + 1;
    if (i === 0 || line.trim() === '') return;
    const f = line.trim().split(/\s+/);
    const bad = (what: string): never => {
      throw new ParseError(`invalid ${what}`, line, lineNumber);
    };
    if (f.length < 13) throw new ParseError(`udp socket line has ${f.length} columns, want at least 13`, line, lineNumber);
    if (!/^\d+:$/.test(f[0] ?? '')) bad('sl');
    if (!ADDRESS.test(f[1] ?? '')) bad('local_address');
    if (!ADDRESS.test(f[2] ?? '')) bad('rem_address');
    if (!HEX.test(f[3] ?? '')) bad('st');
    const queues = (f[4] ?? '').split(':');
    const [tx, rx] = queues;
    if (queues.length !== 2 || tx === undefined || rx === undefined || !HEX.test(tx) || !HEX.test(rx)) bad('tx_queue:rx_queue');
    if (!/^\d+$/.test(f[7] ?? '')) bad('uid');
    if (!/^\d+$/.test(f[9] ?? '')) bad('inode');
    if (!/^\d+$/.test(f[12] ?? '')) bad('drops');
    sum.txQueue += Number.parseInt(tx ?? '', 16);
    sum.rxQueue += Number.parseInt(rx ?? '', 16);
    sum.drops += Number(f[12]);
    sum.sockets++;
  });
  return sum;
}
