import { NETLINK_SOCK_DIAG } from '../native.js';
import { consistentDump } from './dump.js';
import { ParseError } from '../procfs/parse-error.js';
import { dumpMessages } from './message.js';

/** sock_diag for TCP (linux/inet_diag.h): one record per socket. */
export const SOCK_DIAG_BY_FAMILY = 20;
export const AF_INET = 2;
export const AF_INET6 = 10;
const IPPROTO_TCP = 6;
/** Every TCP state bit, as node_exporter asks (states 0–11). */
const TCPF_ALL = 0xfff;
/** idiag_ext bit asking for tcp_info (INET_DIAG_INFO = 2, bit 1), as node_exporter sets it. */
const EXT_INFO = 1 << 1;
const REQ_V2_LEN = 56;
const INET_DIAG_MSG_LEN = 72;

export interface TcpSocket {
  state: number;
  rqueue: number;
  wqueue: number;
}

/** The request of one dump: inet_diag_req_v2 for `family` TCP sockets in every state. */
export function inetDiagRequest(family: number): Buffer {
  const req = Buffer.alloc(REQ_V2_LEN);
  req.writeUInt8(family, 0);
  req.writeUInt8(IPPROTO_TCP, 1);
  req.writeUInt8(EXT_INFO, 2);
  req.writeUInt32LE(TCPF_ALL, 4);
  return req;
}

/** SOCK_DIAG_BY_FAMILY replies → state and queue sizes of each socket (inet_diag_msg). */
export function parseInetDiagDump(datagrams: readonly Buffer[]): TcpSocket[] {
  return dumpMessages(datagrams)
    .filter((m) => m.type === SOCK_DIAG_BY_FAMILY)
    .map((m) => {
      if (m.data.length < INET_DIAG_MSG_LEN) throw new ParseError(`inet_diag: ${m.data.length}-byte message, want ${INET_DIAG_MSG_LEN} or more`);
      return { state: m.data.readUInt8(1), rqueue: m.data.readUInt32LE(56), wqueue: m.data.readUInt32LE(60) };
    });
}

export async function dumpTcpSockets(family: number): Promise<TcpSocket[]> {
  return parseInetDiagDump(await consistentDump(NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY, 0, inetDiagRequest(family)));
}
