import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildQuery,
  checkReply,
  decodeHeader,
  encodeHeader,
  interpretReply,
  invalidReason,
  kissCode,
  MODE_SERVER,
  nsToSeconds,
  ntpDurationNs,
  ntpToUnixNs,
  NtpPacketError,
  shortDurationNs,
  toNtpTime,
  type NtpHeader,
  type NtpResponse,
} from '../../src/ntp/packet.js';

const S = 1_000_000_000n;
/** 1/512 s: exact in 32.32 fixed point and in nanoseconds, so the arithmetic can be checked exactly. */
const TICK = 1_953_125n;
const ERA1 = 2_085_978_496n * S;

// A server reply written out byte by byte: leap 1 (add a second), version 4, mode 4 (server).
const REPLY_HEX =
  '64 02 06 ec' + // LI/VN/mode, stratum 2, poll 6, precision -20
  ' 00 00 08 00' + // root delay 0x0800 / 65536 s = 31.25 ms
  ' 00 00 04 00' + // root dispersion 15.625 ms
  ' 7f 00 00 01' + // reference ID
  ' e9 6d 2c 80 80 00 00 00' + // reference time, .5 s
  ' 01 02 03 04 05 06 07 08' + // origin: the query's nonce echoed
  ' e9 6d 2c 90 00 00 00 00' + // receive
  ' e9 6d 2c 90 00 01 00 00'; // transmit
const reply = Buffer.from(REPLY_HEX.replace(/ /g, ''), 'hex');

test('decodeHeader: a server reply field by field', () => {
  assert.deepEqual(decodeHeader(reply), {
    leap: 1,
    version: 4,
    mode: 4,
    stratum: 2,
    poll: 6,
    precision: -20,
    rootDelay: 0x800,
    rootDispersion: 0x400,
    referenceId: 0x7f000001,
    referenceTime: 0xe96d2c80_80000000n,
    originTime: 0x01020304_05060708n,
    receiveTime: 0xe96d2c90_00000000n,
    transmitTime: 0xe96d2c90_00010000n,
  });
});

test('decodeHeader: short or empty replies are errors; bytes past the header are ignored', () => {
  const padded = new Uint8Array(64);
  padded.set(reply, 7);
  const cases: [string, Uint8Array, RegExp | undefined][] = [
    ['empty', Buffer.alloc(0), /short reply: 0 bytes/],
    ['one byte', Buffer.from([0x24]), /short reply: 1 bytes/],
    ['47 bytes', reply.subarray(0, 47), /short reply: 47 bytes/],
    ['48 bytes', reply, undefined],
    ['with a 20-byte MAC after', Buffer.concat([reply, Buffer.alloc(20, 0xff)]), undefined],
    ['a view into a larger buffer', padded.subarray(7, 55), undefined],
  ];
  for (const [name, bytes, err] of cases) {
    if (err === undefined) assert.equal(decodeHeader(bytes).transmitTime, 0xe96d2c90_00010000n, name);
    else
      assert.throws(
        () => decodeHeader(bytes),
        (e: unknown) => e instanceof NtpPacketError && err.test(e.message),
        name,
      );
  }
});

test('encodeHeader is decodeHeader undone', () => {
  assert.deepEqual(encodeHeader(decodeHeader(reply)), reply);
});

test('buildQuery: client mode, the version asked for, precision 0x20, the nonce as transmit time', () => {
  const q4 = buildQuery(4, 0xdeadbeef_01234567n);
  assert.equal(q4.length, 48);
  assert.equal(q4[0], 0x23); // LI 0, VN 4, mode 3
  assert.equal(q4[3], 0x20);
  assert.equal(q4.readBigUInt64BE(40), 0xdeadbeef_01234567n);
  assert.deepEqual(q4.subarray(4, 40), Buffer.alloc(36));
  assert.equal(buildQuery(3, 1n)[0], 0x1b);
  assert.equal(buildQuery(2, 1n)[0], 0x13);
});

test('checkReply: what makes a reply unusable', () => {
  const good = decodeHeader(reply);
  const nonce = good.originTime;
  const cases: [string, Partial<NtpHeader>, RegExp | undefined][] = [
    ['good', {}, undefined],
    ['client mode (a query reflected back)', { mode: 3 }, /invalid mode 3/],
    ['broadcast mode', { mode: 5 }, /invalid mode 5/],
    ['transmit time 0', { transmitTime: 0n, receiveTime: 0n }, /invalid transmit time/],
    ['origin not our nonce', { originTime: nonce + 1n }, /origin timestamp does not match/],
    ['receive after transmit', { receiveTime: good.transmitTime + 1n }, /ticked backwards/],
    ['receive equal to transmit', { receiveTime: good.transmitTime }, undefined],
  ];
  for (const [name, change, err] of cases) {
    const h = { ...good, ...change };
    if (err === undefined) assert.doesNotThrow(() => checkReply(h, nonce), name);
    else
      assert.throws(
        () => checkReply(h, nonce),
        (e: unknown) => e instanceof NtpPacketError && err.test(e.message),
        name,
      );
  }
});

test('NTP timestamps: Unix epoch, fractions, both eras', () => {
  assert.equal(toNtpTime(0n), 0x83aa7e80n << 32n);
  assert.equal(toNtpTime(1_500_000_000n), (0x83aa7e81n << 32n) | 0x80000000n);
  assert.equal(ntpToUnixNs(0x83aa7e80n << 32n), 0n);
  // 2036-02-07T06:28:16Z is era 1's zero; a second later is 1 again.
  assert.equal(toNtpTime(ERA1), 0n);
  assert.equal(toNtpTime(ERA1 + S), 1n << 32n);
  assert.equal(ntpToUnixNs(1n << 32n), ERA1 + S);
  // A raw 0 (an unset reference time) reads as era 1's start, as upstream's library reads it.
  assert.equal(ntpToUnixNs(0n), ERA1);
  assert.equal(ntpToUnixNs(0xe96d2c80_80000000n), (0xe96d2c80n - 2_208_988_800n) * S + S / 2n);
  for (const ns of [0n, 1n, 999_999_999n, 1_700_000_000_123_456_789n, ERA1 + 42n]) {
    assert.equal(ntpToUnixNs(toNtpTime(ns)), ns, `round trip ${ns}`);
  }
});

test('fixed-point durations round to the nearest nanosecond', () => {
  const cases: [bigint, bigint][] = [
    [0n, 0n],
    [1n, 0n],
    [3n, 1n],
    [0x80000000n, S / 2n],
    [1n << 32n, S],
    [(5n << 32n) | 0x40000000n, 5n * S + S / 4n],
  ];
  for (const [t, ns] of cases) assert.equal(ntpDurationNs(t), ns, `32.32 ${t}`);
  const shorts: [number, bigint][] = [
    [0, 0n],
    [1, 15_259n],
    [0x8000, S / 2n],
    [0x10000, S],
    [0xffffffff, 65_535n * S + 999_984_741n],
  ];
  for (const [t, ns] of shorts) assert.equal(shortDurationNs(t), ns, `16.16 ${t}`);
});

/** A reply as a server `skew` ahead would send it, with one-way delay `oneWay` and `work` between receive and transmit. */
function exchange(sent: bigint, skew: bigint, oneWay: bigint, work: bigint) {
  const rec = sent + oneWay + skew;
  const h: NtpHeader = {
    ...decodeHeader(reply),
    leap: 0,
    mode: MODE_SERVER,
    receiveTime: toNtpTime(rec),
    transmitTime: toNtpTime(rec + work),
  };
  return interpretReply(h, sent, sent + 2n * oneWay + work);
}

test('interpretReply: offset, round trip, distance and causality error', () => {
  const sent = 1_700_000_000n * S;
  const ahead = exchange(sent, 2n * S, 2n * TICK, TICK);
  assert.equal(ahead.offsetNs, 2n * S);
  assert.equal(ahead.rttNs, 4n * TICK);
  assert.equal(ahead.rootDelayNs, 31_250_000n);
  assert.equal(ahead.rootDispersionNs, 15_625_000n);
  assert.equal(ahead.rootDistanceNs, (4n * TICK + 31_250_000n) / 2n + 15_625_000n);
  // The server's transmit is after our receive by 2 s less the delay: that much causality error.
  assert.equal(ahead.minErrorNs, 2n * S - 2n * TICK);

  const behind = exchange(sent, -2n * S, 2n * TICK, TICK);
  assert.equal(behind.offsetNs, -2n * S);
  assert.equal(behind.rttNs, 4n * TICK);
  assert.equal(behind.minErrorNs, 2n * S - 2n * TICK);

  const same = exchange(sent, 0n, 2n * TICK, TICK);
  assert.equal(same.offsetNs, 0n);
  assert.equal(same.minErrorNs, 0n);
  assert.equal(same.timeNs, sent + 3n * TICK);

  // Across the 2036 era boundary the differences still come out right.
  const wrap = exchange(ERA1 - TICK, 2n * TICK, 2n * TICK, TICK);
  assert.equal(wrap.offsetNs, 2n * TICK);
  assert.equal(wrap.rttNs, 4n * TICK);

  // A server that claims to have worked longer than the round trip took: rtt is 0, not negative.
  const h = { ...decodeHeader(reply), receiveTime: toNtpTime(sent), transmitTime: toNtpTime(sent + S) };
  assert.equal(interpretReply(h, sent, sent + TICK).rttNs, 0n);
});

test('kissCode: four printable letters or nothing', () => {
  assert.equal(kissCode(Buffer.from('RATE').readUInt32BE()), 'RATE');
  assert.equal(kissCode(Buffer.from('DENY').readUInt32BE()), 'DENY');
  assert.equal(kissCode(0x7f000001), '');
  assert.equal(kissCode(0), '');
});

test('invalidReason: the validity rules in order', () => {
  const now = 1_700_000_000n * S;
  const good: NtpResponse = {
    leap: 0,
    stratum: 2,
    kissCode: '',
    timeNs: now,
    referenceTimeNs: now - 64n * S,
    offsetNs: 0n,
    rttNs: 0n,
    rootDelayNs: 10_000_000n,
    rootDispersionNs: 5_000_000n,
    rootDistanceNs: 10_000_000n,
    minErrorNs: 0n,
  };
  const cases: [string, Partial<NtpResponse>, RegExp | undefined][] = [
    ['good', {}, undefined],
    ['leap second announced', { leap: 1 }, undefined],
    ['kiss of death', { stratum: 0, kissCode: 'RATE' }, /kiss of death received \(RATE\)/],
    ['kiss of death without a code', { stratum: 0 }, /^kiss of death received$/],
    ['stratum 16 (unsynchronised)', { stratum: 16 }, /invalid stratum 16/],
    ['stratum 15', { stratum: 15 }, undefined],
    ['reference older than 2^17 s', { referenceTimeNs: now - 131_073n * S }, /not fresh/],
    ['reference exactly 2^17 s old', { referenceTimeNs: now - 131_072n * S }, undefined],
    ['dispersion over 16 s', { rootDispersionNs: 16n * S + 1n, rootDelayNs: 0n }, /invalid dispersion/],
    ['delay/2 + dispersion over 16 s', { rootDelayNs: 30n * S, rootDispersionNs: 2n * S }, /invalid dispersion/],
    ['reference after transmit', { referenceTimeNs: now + 1n }, /before reference time/],
    ['leap 3: not in sync', { leap: 3 }, /not in sync/],
    ['stratum checked before leap', { leap: 3, stratum: 16 }, /invalid stratum/],
  ];
  for (const [name, change, want] of cases) {
    const got = invalidReason({ ...good, ...change });
    if (want === undefined) assert.equal(got, undefined, name);
    else assert.match(got ?? '', want, name);
  }
});

test("nsToSeconds: as Go's Duration.Seconds()", () => {
  assert.equal(nsToSeconds(0n), 0);
  assert.equal(nsToSeconds(1_500_000_000n), 1.5);
  assert.equal(nsToSeconds(-1_500_000_000n), -1.5);
  assert.equal(nsToSeconds(31_250_000n), 0.03125);
  assert.equal(nsToSeconds(9_007_199_254_740_993n), 9_007_199.254740993);
});
