import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ETHTOOL_CMD_SIZE,
  ETHTOOL_DRVINFO_SIZE,
  ETHTOOL_GSTATS,
  ETHTOOL_GSTRINGS,
  ethtoolMetricName,
  gstringsRequest,
  parseDriverInfo,
  parseGstrings,
  parseLinkInfo,
  parseStats,
  statsRequest,
} from '../../src/ethtool/structs.js';
import { decodeLinkModes } from '../../src/ethtool/link-modes.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { sanitizeMetricName } from '../../src/metric-name.js';

test('ethtool_cmd: masks and autoneg at their offsets; short buffers throw', () => {
  const b = Buffer.alloc(ETHTOOL_CMD_SIZE);
  b.writeUInt32LE(1, 0);
  b.writeUInt32LE(0x8000_006f, 4);
  b.writeUInt32LE(0x2f, 8);
  b.writeUInt8(1, 18);
  assert.deepEqual(parseLinkInfo(b), { supported: 0x8000_006f, advertising: 0x2f, autoneg: 1 });
  assert.throws(() => parseLinkInfo(Buffer.alloc(10)), ParseError);
});

test('ethtool_drvinfo: NUL-terminated and full-width strings, n_stats', () => {
  const b = Buffer.alloc(ETHTOOL_DRVINFO_SIZE);
  b.write('e1000e', 4);
  b.write('3.2.6-k', 36);
  b.write('x'.repeat(32), 68); // no terminator: the whole field
  b.write('0000:00:19.0', 100);
  b.writeUInt32LE(77, 180);
  assert.deepEqual(parseDriverInfo(b), { driver: 'e1000e', version: '3.2.6-k', fwVersion: 'x'.repeat(32), busInfo: '0000:00:19.0', eromVersion: '', nStats: 77 });
  assert.throws(() => parseDriverInfo(Buffer.alloc(100)), ParseError);
});

test('gstrings and stats requests round-trip; counts beyond the buffer throw', () => {
  const g = gstringsRequest(2);
  assert.equal(g.readUInt32LE(0), ETHTOOL_GSTRINGS);
  assert.equal(g.length, 12 + 64);
  g.write('rx_packets', 12);
  g.write('tx-errors.q0', 44);
  assert.deepEqual(parseGstrings(g), ['rx_packets', 'tx-errors.q0']);
  const s = statsRequest(2);
  assert.equal(s.readUInt32LE(0), ETHTOOL_GSTATS);
  s.writeBigUInt64LE(2n ** 60n, 8);
  s.writeBigUInt64LE(5n, 16);
  assert.deepEqual(parseStats(s), [2 ** 60, 5]);
  const bad = Buffer.alloc(12);
  bad.writeUInt32LE(3, 8);
  assert.throws(() => parseGstrings(bad), ParseError);
  assert.throws(() => parseStats(Buffer.alloc(4)), ParseError);
});

test('metric names follow upstream renaming', () => {
  const cases: [string, string][] = [
    ['rx_packets', 'node_ethtool_received_packets'],
    ['tx-errors.q0', 'node_ethtool_transmitted_errors_q0'],
    ['port.rx_dropped', 'node_ethtool_port_received_dropped'],
    ['__Rx_Crc', 'node_ethtool_received_crc'],
    ['rx_rx', 'node_ethtool_received_rx'], // Go's non-overlapping matches: the shared '_' goes to the first
    ['rx_tx', 'node_ethtool_received_transmitted'],
  ];
  for (const [raw, want] of cases) assert.equal(ethtoolMetricName(sanitizeMetricName(raw)), want, raw);
});

test('link modes: speeds, ports, capabilities; bits 0-31 only', () => {
  const m = decodeLinkModes({ supported: (1 << 5) | (1 << 6) | (1 << 7) | (1 << 31), advertising: 1 << 13, autoneg: 1 });
  assert.deepEqual(m.supported.speeds, [
    { mode: '1000baseT', duplex: 'full', bytesPerSecond: 125e6 },
    { mode: '25000baseCR', duplex: 'full', bytesPerSecond: 3125e6 },
  ]);
  assert.deepEqual(m.supported.ports, ['TP']);
  assert.equal(m.supported.autoneg, true);
  assert.equal(m.supported.pause, false);
  assert.equal(m.advertised.pause, true);
  assert.equal(m.autoneg, 1);
  assert.deepEqual(m.advertised.speeds, []);
});
