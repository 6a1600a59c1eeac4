import { monotonicMs } from '../clock.js';
import { cryptoModule } from '../builtins.js';
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { booleanOption, ConfigError, newDesc, type CollectContext, type CollectorDefinition, type OptionValues, type Sink } from '../collector.js';
import { parseDuration } from '../config.js';
import {
  buildQuery,
  checkReply,
  decodeHeader,
  interpretReply,
  invalidReason,
  LEAP_ADD_SECOND,
  LEAP_DEL_SECOND,
  NS_PER_SECOND,
  nsToSeconds,
  type NtpResponse,
} from '../ntp/packet.js';

const stratum = newDesc('node_ntp_stratum', 'Stratum the NTP server reports.', 'gauge');
const leap = newDesc('node_ntp_leap', 'Leap indicator the NTP server reports (2 bits: 0 none, 1 add, 2 delete a second, 3 unsynchronised).', 'gauge');
const rtt = newDesc('node_ntp_rtt_seconds', "Round-trip time of the SNTP query, less the server's own processing time.", 'gauge');
const offset = newDesc('node_ntp_offset_seconds', "Estimated offset of the NTP server's clock from the local clock.", 'gauge');
const referenceTime = newDesc('node_ntp_reference_timestamp_seconds', 'When the NTP server last set its clock, as a Unix timestamp.', 'gauge');
const rootDelay = newDesc('node_ntp_root_delay_seconds', 'Round-trip delay from the NTP server to its primary reference, as it reports it.', 'gauge');
const rootDispersion = newDesc('node_ntp_root_dispersion_seconds', 'Dispersion from the NTP server to its primary reference, as it reports it.', 'gauge');
const sanity = newDesc('node_ntp_sanity', '1 when the reply passes RFC 5905 validity checks and the configured distance and offset limits, else 0.', 'gauge');

const F = 'collector.ntp';
/** Upstream waits one second for the reply (ntpdate's default); we also stop short of the deadline. */
const REPLY_TIMEOUT_MS = 1000;
/** Kept back from the scrape deadline so the failure is ours to report, not a dropped collector. */
const DEADLINE_MARGIN_MS = 20;
const DAY_NS = 86_400n * NS_PER_SECOND;

/** Go's net.ParseIP(s).IsLoopback(): a literal address (no zone) in 127/8 or ::1, v4-mapped too. */
const loopback = new net.BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');
export function isLoopbackLiteral(text: string): boolean {
  const family = text.includes('%') ? 0 : net.isIP(text);
  return family !== 0 && loopback.check(text, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * "host", "host:port", "v6", "[v6]" or "[v6]:port", as upstream's library reads the server flag:
 * a port in the address wins over --collector.ntp.server-port.
 */
export function splitServer(address: string, defaultPort: number): { host: string; port: number } {
  const bad = (why: string) => new ConfigError(`--${F}.server: ${why} in ${JSON.stringify(address)}`);
  let host = address;
  let portText: string | undefined;
  if (address.startsWith('[')) {
    const end = address.indexOf(']');
    if (end < 0) throw bad("missing ']'");
    host = address.slice(1, end);
    if (end + 1 < address.length) {
      if (address[end + 1] !== ':') throw bad("unexpected character after ']'");
      portText = address.slice(end + 2);
    }
  } else if (address.indexOf(':') >= 0 && address.indexOf(':') === address.lastIndexOf(':')) {
    [host, portText] = [address.slice(0, address.indexOf(':')), address.slice(address.indexOf(':') + 1)];
  }
  if (host === '') throw bad('empty host');
  if (portText === undefined) return { host, port: defaultPort };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw bad(`invalid port ${JSON.stringify(portText)}`);
  return { host, port: Number(portText) };
}

function intOption(options: OptionValues, flag: string, fallback: string): number {
  const v = options.get(`${F}.${flag}`);
  const text = typeof v === 'string' ? v : fallback;
  if (!/^[+-]?\d+$/.test(text)) throw new ConfigError(`--${F}.${flag}: expected an integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

function durationNs(options: OptionValues, flag: string, fallback: string): bigint {
  const v = options.get(`${F}.${flag}`);
  return BigInt(Math.round(parseDuration(typeof v === 'string' ? v : fallback, `${F}.${flag}`) * 1e6));
}

/**
 * The wall clock in nanoseconds with sub-millisecond resolution: Date.now() alone is too coarse
 * for a loopback round trip. The monotonic clock is slewed with the wall clock but not stepped,
 * so keep its offset to the wall clock and re-anchor whenever Date.now() shows a step.
 */
let monoToWallMs = Number.NaN; // anchored by the first reading
export function wallClockNs(): bigint {
  const mono = monotonicMs();
  const wall = Date.now();
  // wall is the true time truncated to the millisecond, read just after mono.
  const anchored = mono + monoToWallMs;
  if (!(anchored >= wall - 1 && anchored < wall + 1)) monoToWallMs = wall + 0.5 - mono;
  const ms = mono + monoToWallMs;
  const whole = Math.floor(ms);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
}

interface QueryTarget {
  host: string;
  port: number;
  version: number;
  ttl: number;
}

interface Exchange {
  reply: Buffer;
  sentNs: bigint;
  receivedNs: bigint;
  nonce: bigint;
}

/**
 * One query on a connected UDP socket (so only the server's datagrams, and its ICMP errors,
 * arrive), the name lookup included in the time allowed.
 */
function exchange(target: QueryTarget, timeoutMs: number, signal: AbortSignal): Promise<Exchange> {
  const nonce = cryptoModule().randomBytes(8).readBigUInt64BE();
  return new Promise<Exchange>((resolve, reject) => {
    let socket: dgram.Socket | undefined;
    let settled = false;
    let sentNs = 0n;
    let sentMono = 0n;
    const finish = (err: Error | undefined, value?: Exchange) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (socket !== undefined) {
        socket.removeAllListeners('message');
        socket.on('error', () => {});
        try {
          socket.close();
        } catch {
          // already closed by a socket error
        }
      }
      if (err !== undefined) reject(err);
      else if (value !== undefined) resolve(value);
    };
    const onAbort = () => finish(new Error('scrape deadline reached before an SNTP reply'));
    const timer = setTimeout(() => finish(new Error(`no SNTP reply within ${Math.round(timeoutMs)}ms`)), timeoutMs);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    const send = (address: string, family: number) => {
      if (settled) return;
      const s = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
      socket = s;
      s.on('error', (err) => finish(err));
      s.on('message', (reply) => {
        const receivedNs = sentNs + (process.hrtime.bigint() - sentMono);
        finish(undefined, { reply, sentNs, receivedNs, nonce });
      });
      s.connect(target.port, address, () => {
        if (settled) return;
        try {
          if (target.ttl !== 0) s.setTTL(target.ttl);
        } catch (err) {
          return finish(err as Error);
        }
        sentNs = wallClockNs();
        sentMono = process.hrtime.bigint();
        s.send(buildQuery(target.version, nonce), (err) => {
          if (err) finish(err);
        });
      });
    };
    const family = net.isIP(target.host);
    if (family !== 0) return send(target.host, family);
    // As Go's resolver for "udp": a name's first IPv4 address, else its first address.
    lookup(target.host, { all: true }).then(
      (addresses) => {
        const a = addresses.find((x) => x.family === 4) ?? addresses[0];
        if (a === undefined) finish(new Error(`${target.host}: no address`));
        else send(a.address, a.family);
      },
      (err: Error) => finish(err),
    );
  });
}

export const ntp: CollectorDefinition = {
  name: 'ntp',
  defaultEnabled: false,
  options: [
    { flag: `${F}.server`, help: "Address of the NTP server to query (must be this host's own server).", defaultValue: '127.0.0.1' },
    { flag: `${F}.server-port`, help: 'UDP port of the NTP server.', defaultValue: '123' },
    { flag: `${F}.protocol-version`, help: 'NTP version to put in the query (2, 3 or 4).', defaultValue: '4' },
    {
      flag: `${F}.server-is-local`,
      help: 'Vouch that --collector.ntp.server, though not a loopback address, is a server of ours and not a public one.',
      boolean: true,
      defaultValue: 'false',
    },
    { flag: `${F}.ip-ttl`, help: 'IP TTL (hop limit) of the query; 0 leaves the system default.', defaultValue: '1' },
    { flag: `${F}.max-distance`, help: 'Largest root distance still counted as sane.', defaultValue: '3.46608s' },
    { flag: `${F}.local-offset-tolerance`, help: 'Error between the local clock and the server tolerated as sane.', defaultValue: '1ms' },
  ],
  create({ options, logger }) {
    const v = options.get(`${F}.server`);
    const server = typeof v === 'string' ? v : '127.0.0.1';
    if (!booleanOption(options, `${F}.server-is-local`, false) && !isLoopbackLiteral(server)) {
      throw new ConfigError(`--${F}.server must be a loopback IP address unless --${F}.server-is-local vouches for it, got ${JSON.stringify(server)}`);
    }
    const version = intOption(options, 'protocol-version', '4');
    if (version < 2 || version > 4) throw new ConfigError(`--${F}.protocol-version: ${version} is not 2, 3 or 4`);
    const toleranceNs = durationNs(options, 'local-offset-tolerance', '1ms');
    const maxDistanceNs = durationNs(options, 'max-distance', '3.46608s');
    const defaultPort = intOption(options, 'server-port', '123');
    if (defaultPort < 1 || defaultPort > 65535) throw new ConfigError(`--${F}.server-port: ${defaultPort} is not between 1 and 65535`);
    const ttl = intOption(options, 'ip-ttl', '1');
    if (ttl < 0 || ttl > 255) throw new ConfigError(`--${F}.ip-ttl: ${ttl} is not between 0 and 255`);
    const target: QueryTarget = { ...splitServer(server, defaultPort), version, ttl };
    logger.warn('the ntp collector is deprecated upstream and will be removed in its next major release');

    // Once a leap second is announced, a second of extra error is tolerated from the day before
    // the midnight it applies at to the day after (smearing servers), even once the flag is gone.
    let leapMidnightNs: bigint | undefined;
    const maxErrorNs = (r: NtpResponse): bigint => {
      if (r.leap === LEAP_ADD_SECOND || r.leap === LEAP_DEL_SECOND) {
        const day = r.timeNs / DAY_NS - (r.timeNs < 0n && r.timeNs % DAY_NS !== 0n ? 1n : 0n);
        leapMidnightNs = (day + 1n) * DAY_NS;
      }
      const near = leapMidnightNs !== undefined && leapMidnightNs - DAY_NS < r.timeNs && r.timeNs < leapMidnightNs + DAY_NS;
      return toleranceNs + (near ? NS_PER_SECOND : 0n);
    };

    return {
      async collect(ctx: CollectContext, out: Sink): Promise<void> {
        const timeoutMs = Math.min(REPLY_TIMEOUT_MS, ctx.deadline - monotonicMs() - DEADLINE_MARGIN_MS);
        const where = `${target.host}:${target.port}`;
        if (timeoutMs <= 0) throw new Error(`no time left before the scrape deadline to query ${where}`);
        let r: NtpResponse;
        try {
          const x = await exchange(target, timeoutMs, ctx.signal);
          const header = decodeHeader(x.reply);
          checkReply(header, x.nonce);
          r = interpretReply(header, x.sentNs, x.receivedNs);
        } catch (err) {
          throw new Error(`couldn't get SNTP reply from ${where}: ${(err as Error).message}`, { cause: err });
        }
        // Before the checks: an announced leap second must be remembered whatever they say.
        const maxError = maxErrorNs(r);
        const sane = invalidReason(r) === undefined && r.rootDistanceNs <= maxDistanceNs && r.minErrorNs <= maxError;
        // Timestamps before 1970-01-01T00:00:01 (e.g. an unset reference time) read as 0.
        const reference = r.referenceTimeNs >= NS_PER_SECOND ? Number(r.referenceTimeNs) / 1e9 : 0;
        out.add(stratum, r.stratum);
        out.add(leap, r.leap);
        out.add(rtt, nsToSeconds(r.rttNs));
        out.add(offset, nsToSeconds(r.offsetNs));
        out.add(referenceTime, reference);
        out.add(rootDelay, nsToSeconds(r.rootDelayNs));
        out.add(rootDispersion, nsToSeconds(r.rootDispersionNs));
        out.add(sanity, sane ? 1 : 0);
      },
    };
  },
};
