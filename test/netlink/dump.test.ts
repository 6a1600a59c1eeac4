import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { netlinkDump, nativeThreads, NETLINK_ROUTE, SyscallError } from '../../src/native.js';
import { dumpLinks, dumpNeighbours, dumpQdiscs, AF_INET, RTM_GETLINK } from '../../src/netlink/route.js';
import { dumpMessages } from '../../src/netlink/message.js';

test('netlinkDump: a link dump ends in NLMSG_DONE and names lo with its sysfs ifindex', async () => {
  const datagrams = await netlinkDump(NETLINK_ROUTE, RTM_GETLINK, 0, Buffer.alloc(16));
  assert.ok(datagrams.length >= 1);
  assert.ok(dumpMessages(datagrams).length >= 1);
  const links = await dumpLinks();
  assert.equal(links.get(Number(readFileSync('/sys/class/net/lo/ifindex', 'utf8'))), 'lo');
});

test('netlinkDump: the kernel\'s NLMSG_ERROR rejects with its errno', async () => {
  // 0x7ff is no rtnetlink message type: the kernel answers EOPNOTSUPP.
  await assert.rejects(netlinkDump(NETLINK_ROUTE, 0x7ff, 0, Buffer.alloc(16)), (e: unknown) =>
    e instanceof SyscallError && e.syscall === 'netlink' && e.code === 'ENOTSUP' && e.errno === 95);
});

test('netlinkDump: an unknown protocol rejects from socket(2); bad arguments throw in JS', async () => {
  await assert.rejects(netlinkDump(29, 1, 0, Buffer.alloc(0)), (e: unknown) => e instanceof SyscallError && e.code === 'EPROTONOSUPPORT');
  await assert.rejects(netlinkDump(-1, 1, 0, Buffer.alloc(0)), RangeError);
  await assert.rejects(netlinkDump(0, 0x10000, 0, Buffer.alloc(0)), RangeError);
  await assert.rejects(netlinkDump(0, 18, 0, 'x' as unknown as Buffer), TypeError);
});

test('netlinkDump: 200 concurrent dumps settle on the bounded pool', async () => {
  const all = await Promise.all(Array.from({ length: 200 }, () => dumpLinks()));
  assert.ok(all.every((m) => m.size === all[0]?.size));
  assert.ok(nativeThreads().live < 64);
});

test('live qdisc and neighbour dumps: every root qdisc has a device and kind', async () => {
  const qdiscs = await dumpQdiscs();
  const links = await dumpLinks();
  assert.ok(qdiscs.some((q) => q.ifaceName === 'lo' && q.parent === 0));
  for (const q of qdiscs) {
    assert.ok([...links.values()].includes(q.ifaceName));
    assert.notEqual(q.kind, '');
  }
  for (const n of await dumpNeighbours(AF_INET)) assert.equal(n.family, AF_INET);
});
