import { ParseError } from '../procfs/parse-error.js';

/**
 * runsv's `supervise/status`: a fixed 20-byte binary record, rewritten whole on each change.
 *   0..7   TAI64 label of the last state change (big-endian; 2^62 + 10 is the Unix epoch)
 *   8..11  nanoseconds of that instant (not used)
 *   12..15 pid of the service process, little-endian (0 when none)
 *   16     paused flag, 17 wanted state 'u' / 'd', 18 TERM-sent flag
 *   19     state: 0 down, 1 run, 2 finish
 */
export const RUNIT_STATUS_LENGTH = 20;

/** The TAI64 label of 1970-01-01 00:00:00 UTC as runit writes it (2^62 plus 10 leap seconds). */
const TAI64_UNIX_EPOCH = (1n << 62n) + 10n;

export interface RunitStatus {
  /** Unix seconds of the last state change. */
  changedAt: number;
  pid: number;
  paused: boolean;
  /** The wanted-state byte: 'u', 'd', or anything else runsv never writes. */
  want: 'up' | 'down' | 'unknown';
  /** The state byte as is: 0 down, 1 run, 2 finish (other values are reported raw, as upstream does). */
  state: number;
}

/**
 * Decodes the first 20 bytes of a status file; anything after them is ignored, as the reader
 * upstream uses takes one 20-byte read. A shorter file is refused: upstream would zero-fill the
 * missing bytes and report a change time near -4.6e18 s.
 */
export function parseRunitStatus(bytes: Uint8Array): RunitStatus {
  if (bytes.length < RUNIT_STATUS_LENGTH) {
    throw new ParseError(`runit status is ${bytes.length} bytes, want ${RUNIT_STATUS_LENGTH}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, RUNIT_STATUS_LENGTH);
  // Signed 64-bit wrap-around, as node_exporter's int64 arithmetic gives for a label past 2^63.
  const seconds = BigInt.asIntN(64, view.getBigUint64(0, false) - TAI64_UNIX_EPOCH);
  const wantByte = view.getUint8(17);
  return {
    changedAt: Number(seconds),
    pid: view.getUint32(12, true),
    paused: view.getUint8(16) !== 0,
    want: wantByte === 0x75 ? 'up' : wantByte === 0x64 ? 'down' : 'unknown',
    state: view.getUint8(19),
  };
}
