/**
 * A fake NTP server on loopback (random port) for the ntp collector's tests: it answers each
 * query with whatever the test's responder builds, or not at all. Nothing here talks to a real
 * NTP server.
 */
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { wallClockNs } from '../../src/collectors/ntp.js';
import { decodeHeader, encodeHeader, MODE_SERVER, toNtpTime, type NtpHeader } from '../../src/ntp/packet.js';

/** Builds the reply to one query (its raw bytes); undefined = stay silent. */
export type Responder = (query: Buffer) => Buffer | undefined;

export interface FakeNtpServer {
  port: number;
  /** Every datagram received, in order. */
  queries: Buffer[];
  respond: Responder;
  close(): Promise<void>;
}

export async function startFakeNtpServer(respond: Responder, host = '127.0.0.1'): Promise<FakeNtpServer> {
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const server: FakeNtpServer = {
    port: 0,
    queries: [],
    respond,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
  socket.on('message', (msg, rinfo) => {
    server.queries.push(msg);
    const reply = server.respond(msg);
    if (reply !== undefined) socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, () => resolve());
  });
  server.port = (socket.address() as AddressInfo).port;
  return server;
}

export interface ReplyFields extends Partial<NtpHeader> {
  /** Added to this process's clock for the receive and transmit timestamps. */
  skewSeconds?: number;
  /** Reference time this many seconds before the transmit time (when referenceTime is not given). */
  referenceAgeSeconds?: number;
}

/**
 * A well-formed server reply to `query`: stratum 2, no leap warning, small root delay and
 * dispersion, receive/transmit stamped from the same clock the collector reads (plus any skew),
 * origin echoing the query's transmit field. `fields` override any of it.
 */
export function replyTo(query: Buffer, fields: ReplyFields = {}): Buffer {
  const q = decodeHeader(query);
  const now = wallClockNs() + BigInt(Math.round((fields.skewSeconds ?? 0) * 1e9));
  const age = BigInt(Math.round((fields.referenceAgeSeconds ?? 64) * 1e9));
  const { skewSeconds: _s, referenceAgeSeconds: _a, ...header } = fields;
  return encodeHeader({
    leap: 0,
    version: q.version,
    mode: MODE_SERVER,
    stratum: 2,
    poll: 6,
    precision: -20,
    rootDelay: 0x0000_0800, // 31.25 ms
    rootDispersion: 0x0000_0400, // 15.625 ms
    referenceId: 0x7f00_0001,
    referenceTime: toNtpTime(now - age),
    originTime: q.transmitTime,
    receiveTime: toNtpTime(now),
    // The server spends 10 µs between receiving and answering.
    transmitTime: toNtpTime(now + 10_000n),
    ...header,
  });
}
