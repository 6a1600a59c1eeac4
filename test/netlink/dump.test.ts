import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consistentDump, DumpInterruptedError, dumpInterrupted, NLM_F_DUMP_INTR } from '../../src/netlink/dump.js';
import { encodeMessage, NLMSG_DONE } from '../../src/netlink/message.js';

const NLM_F_MULTI = 2;
const datagram = (flags: number) =>
  Buffer.concat([encodeMessage(16, NLM_F_MULTI | flags, 1, Buffer.alloc(16)), encodeMessage(NLMSG_DONE, NLM_F_MULTI | flags, 1, Buffer.alloc(4))]);

test('dumpInterrupted: any message flagged NLM_F_DUMP_INTR', () => {
  assert.equal(dumpInterrupted([datagram(0)]), false);
  assert.equal(dumpInterrupted([datagram(0), datagram(NLM_F_DUMP_INTR)]), true);
  assert.equal(dumpInterrupted([]), false);
});

test('consistentDump: an interrupted dump is asked again; three in a row is an error', async () => {
  let calls = 0;
  const flaky = (n: number) => async () => (++calls <= n ? [datagram(NLM_F_DUMP_INTR)] : [datagram(0)]);
  assert.deepEqual(await consistentDump(0, 18, 0, Buffer.alloc(0), flaky(2)), [datagram(0)]);
  assert.equal(calls, 3);
  calls = 0;
  await assert.rejects(consistentDump(0, 18, 0, Buffer.alloc(0), flaky(3)), DumpInterruptedError);
  assert.equal(calls, 3);
});
