import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { encodeAttribute, encodeMessage, NLMSG_DONE } from '../../src/netlink/message.js';
import { parseLinkDump, parseNeighbourDump, parseQdiscDump, RTM_NEWLINK, RTM_NEWNEIGH, RTM_NEWQDISC } from '../../src/netlink/route.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { fixturePath } from '../helpers/repo.js';

const done = encodeMessage(NLMSG_DONE, 2, 1, Buffer.alloc(4));

function link(index: number, name: string): Buffer {
  const ifi = Buffer.alloc(16);
  ifi.writeInt32LE(index, 4);
  return encodeMessage(RTM_NEWLINK, 2, 1, Buffer.concat([ifi, encodeAttribute(4, Buffer.from([0, 5, 0, 0])), encodeAttribute(3, Buffer.from(`${name}\0`))]));
}

function neigh(family: number, ifindex: number, state: number): Buffer {
  const nd = Buffer.alloc(12);
  nd.writeUInt8(family, 0);
  nd.writeInt32LE(ifindex, 4);
  nd.writeUInt16LE(state, 8);
  return encodeMessage(RTM_NEWNEIGH, 2, 1, Buffer.concat([nd, encodeAttribute(1, Buffer.from([192, 0, 2, 1]))]));
}

test('parseLinkDump: index → name, links without a name skipped', () => {
  const nameless = encodeMessage(RTM_NEWLINK, 2, 1, Buffer.alloc(16));
  assert.deepEqual(
    parseLinkDump([Buffer.concat([link(1, 'lo'), link(7, 'enp3s0')]), Buffer.concat([nameless, done])]),
    new Map([
      [1, 'lo'],
      [7, 'enp3s0'],
    ]),
  );
  assert.throws(
    () => parseLinkDump([encodeMessage(RTM_NEWLINK, 2, 1, Buffer.alloc(8))]),
    (e: unknown) => e instanceof ParseError && /link: 8-byte message/.test(e.message),
  );
});

test('parseNeighbourDump: family, interface and state', () => {
  assert.deepEqual(parseNeighbourDump([Buffer.concat([neigh(2, 4, 0x02), neigh(2, 1, 0x40), done])]), [
    { family: 2, ifindex: 4, state: 2 },
    { family: 2, ifindex: 1, state: 0x40 },
  ]);
  assert.throws(() => parseNeighbourDump([encodeMessage(RTM_NEWNEIGH, 2, 1, Buffer.alloc(4))]), /neighbour: 4-byte message/);
});

// The qdisc dump of a host with a multiqueue NIC (mq root, fq_codel children), lo and an ingress
// qdisc; built by hand in the kernel's layout (tcmsg, TCA_KIND, TCA_STATS2{BASIC,QUEUE}, TCA_STATS).
const qdiscDump = readFileSync(fixturePath('netlink', 'rtm-newqdisc-dump.hex'), 'utf8')
  .split('\n')
  .filter((l) => !l.startsWith('#') && l.trim() !== '')
  .map((l) => Buffer.from(l.trim(), 'hex'));

test('parseQdiscDump: fixture dump, roots and children, names resolved, TC_H_ROOT folded to 0', () => {
  const names = new Map([
    [1, 'lo'],
    [2, 'enp3s0'],
  ]);
  const got = parseQdiscDump(qdiscDump, names);
  assert.deepEqual(
    got.map((q) => [q.ifaceName, q.kind, q.parent]),
    [
      ['lo', 'noqueue', 0],
      ['enp3s0', 'mq', 0],
      ['enp3s0', 'fq_codel', 0x10001],
      ['enp3s0', 'ingress', 0xfffffff1],
    ],
  );
  assert.deepEqual(got[1], {
    ifaceName: 'enp3s0',
    parent: 0,
    handle: 0x10000,
    kind: 'mq',
    bytes: 2 ** 53 + 2,
    packets: 4000000000,
    drops: 12,
    requeues: 3,
    overlimits: 1,
    qlen: 5,
    backlog: 1514,
  });
});

test('parseQdiscDump: a device gone between the dumps is left out', () => {
  assert.deepEqual(
    parseQdiscDump(qdiscDump, new Map([[1, 'lo']])).map((q) => q.ifaceName),
    ['lo'],
  );
});

test('parseQdiscDump: short tcmsg and short stats are malformed', () => {
  assert.throws(() => parseQdiscDump([encodeMessage(RTM_NEWQDISC, 2, 1, Buffer.alloc(12))], new Map()), /qdisc: 12-byte message/);
  const tc = Buffer.alloc(20);
  tc.writeInt32LE(1, 4);
  const shortQueue = encodeAttribute(7, encodeAttribute(3, Buffer.alloc(8)));
  assert.throws(() => parseQdiscDump([encodeMessage(RTM_NEWQDISC, 2, 1, Buffer.concat([tc, shortQueue]))], new Map([[1, 'lo']])), /TCA_STATS_QUEUE: 8 bytes/);
});
