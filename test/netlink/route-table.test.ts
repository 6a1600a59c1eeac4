import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeAttribute as attr, encodeMessage, NLMSG_DONE } from '../../src/netlink/message.js';
import { parseRouteDump, RTM_NEWROUTE } from '../../src/netlink/route-table.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { u32 } from './bytes.js';

function rtmsg(family: number, dstLen: number, table: number, protocol: number, type: number): Buffer {
  return Buffer.from([family, dstLen, 0, 0, table, protocol, 0, type, 0, 0, 0, 0]);
}
function nexthop(ifindex: number, hops: number, gateway: Buffer): Buffer {
  const gw = attr(5, gateway);
  const h = Buffer.alloc(8);
  h.writeUInt16LE(8 + gw.length, 0);
  h.writeUInt8(hops, 3);
  h.writeInt32LE(ifindex, 4);
  return Buffer.concat([h, gw]);
}

test('parseRouteDump: plain, default, multipath and non-unicast routes', () => {
  const plain = encodeMessage(
    RTM_NEWROUTE,
    2,
    1,
    Buffer.concat([rtmsg(2, 24, 254, 2, 1), attr(15, u32(254)), attr(1, Buffer.from([192, 0, 2, 0])), attr(7, Buffer.from([192, 0, 2, 2])), attr(4, u32(4))]),
  );
  const dflt = encodeMessage(RTM_NEWROUTE, 2, 1, Buffer.concat([rtmsg(2, 0, 254, 16, 1), attr(6, u32(100)), attr(5, Buffer.from([192, 0, 2, 1])), attr(4, u32(4))]));
  const multi = encodeMessage(
    RTM_NEWROUTE,
    2,
    1,
    Buffer.concat([
      rtmsg(2, 16, 254, 186, 1),
      attr(1, Buffer.from([10, 9, 0, 0])),
      attr(9, Buffer.concat([nexthop(4, 0, Buffer.from([192, 0, 2, 1])), nexthop(5, 2, Buffer.from([198, 51, 100, 1]))])),
    ]),
  );
  const local = encodeMessage(RTM_NEWROUTE, 2, 1, Buffer.concat([rtmsg(2, 32, 255, 2, 2), attr(1, Buffer.from([127, 0, 0, 1]))]));
  const routes = parseRouteDump([Buffer.concat([plain, dflt]), Buffer.concat([multi, local, encodeMessage(NLMSG_DONE, 2, 1, u32(0))])]);
  assert.equal(routes.length, 4);
  assert.deepEqual(routes[0], {
    family: 2,
    dstLength: 24,
    table: 254,
    protocol: 2,
    type: 1,
    oif: 4,
    priority: 0,
    multipath: [],
    dst: Buffer.from([192, 0, 2, 0]),
    prefsrc: Buffer.from([192, 0, 2, 2]),
  });
  assert.equal(routes[1]?.priority, 100);
  assert.deepEqual(routes[1]?.gateway, Buffer.from([192, 0, 2, 1]));
  assert.deepEqual(routes[2]?.multipath, [
    { ifindex: 4, hops: 0, gateway: Buffer.from([192, 0, 2, 1]) },
    { ifindex: 5, hops: 2, gateway: Buffer.from([198, 51, 100, 1]) },
  ]);
  assert.equal(routes[3]?.type, 2);
});

test('parseRouteDump: malformed messages', () => {
  assert.throws(
    () => parseRouteDump([encodeMessage(RTM_NEWROUTE, 2, 1, Buffer.alloc(8))]),
    (e: unknown) => e instanceof ParseError && /route: 8-byte/.test(e.message),
  );
  const badHop = Buffer.from([4, 0, 0, 0, 0, 0, 0, 0]);
  assert.throws(() => parseRouteDump([encodeMessage(RTM_NEWROUTE, 2, 1, Buffer.concat([rtmsg(2, 0, 254, 2, 1), attr(9, badHop)]))]), /next hop at byte 0 has length 4/);
  assert.throws(() => parseRouteDump([encodeMessage(RTM_NEWROUTE, 2, 1, Buffer.concat([rtmsg(2, 0, 254, 2, 1), attr(4, Buffer.alloc(3))]))]), /RTA_OIF: 3-byte/);
});
