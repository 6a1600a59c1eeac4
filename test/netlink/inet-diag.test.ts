import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AF_INET6, inetDiagRequest, parseInetDiagDump, SOCK_DIAG_BY_FAMILY } from '../../src/netlink/inet-diag.js';
import { encodeAttribute, encodeMessage, NLMSG_DONE } from '../../src/netlink/message.js';
import { ParseError } from '../../src/procfs/parse-error.js';

function diagMsg(state: number, rqueue: number, wqueue: number, withInfo = true): Buffer {
  const m = Buffer.alloc(72);
  m.writeUInt8(2, 0);
  m.writeUInt8(state, 1);
  m.writeUInt16BE(9100, 4);
  m.writeUInt32LE(rqueue, 56);
  m.writeUInt32LE(wqueue, 60);
  // tcp_info as INET_DIAG_INFO: present because the request asks for it; not read.
  return encodeMessage(SOCK_DIAG_BY_FAMILY, 2, 1, withInfo ? Buffer.concat([m, encodeAttribute(2, Buffer.alloc(232))]) : m);
}

test('inetDiagRequest: inet_diag_req_v2 for TCP, every state, tcp_info asked', () => {
  const r = inetDiagRequest(AF_INET6);
  assert.equal(r.length, 56);
  assert.deepEqual([...r.subarray(0, 8)], [10, 6, 2, 0, 0xff, 0x0f, 0, 0]);
  assert.ok(r.subarray(8).every((b) => b === 0));
});

test('parseInetDiagDump: state and queues of each socket', () => {
  const got = parseInetDiagDump([Buffer.concat([diagMsg(10, 0, 0), diagMsg(1, 12, 3400, false)]), encodeMessage(NLMSG_DONE, 2, 1, Buffer.alloc(4))]);
  assert.deepEqual(got, [
    { state: 10, rqueue: 0, wqueue: 0 },
    { state: 1, rqueue: 12, wqueue: 3400 },
  ]);
  assert.deepEqual(parseInetDiagDump([encodeMessage(NLMSG_DONE, 2, 1, Buffer.alloc(4))]), []);
  assert.throws(
    () => parseInetDiagDump([encodeMessage(SOCK_DIAG_BY_FAMILY, 2, 1, Buffer.alloc(40))]),
    (e: unknown) => e instanceof ParseError && /40-byte/.test(e.message),
  );
});
