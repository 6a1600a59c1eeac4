import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fdClose, fdReads, ifaceIoctl, perfEventOpen, SIOCETHTOOL, SyscallError } from '../src/native.js';
import { encodeAttr, parseCounterRead, PERF_TYPE_SOFTWARE } from '../src/perf/attr.js';
import { ETHTOOL_DRVINFO_SIZE, ETHTOOL_GDRVINFO, ethtoolRequest } from '../src/ethtool/structs.js';

test('ifaceIoctl: bad arguments throw; a missing interface rejects with ENODEV', async () => {
  await assert.rejects(ifaceIoctl('', SIOCETHTOOL, Buffer.alloc(4)), RangeError);
  await assert.rejects(ifaceIoctl('x'.repeat(16), SIOCETHTOOL, Buffer.alloc(4)), RangeError);
  await assert.rejects(
    ifaceIoctl('nx-no-such0', SIOCETHTOOL, ethtoolRequest(ETHTOOL_GDRVINFO, ETHTOOL_DRVINFO_SIZE)),
    (e: unknown) => e instanceof SyscallError && e.code === 'ENODEV' && e.syscall === 'ioctl',
  );
});

test('perfEventOpen/fdReads/fdClose: a software counter, or a clean SyscallError where perf is off', async (t) => {
  await assert.rejects(perfEventOpen(Buffer.alloc(8), -1, 0), TypeError);
  await assert.rejects(fdReads([-1], 24), RangeError);
  await assert.rejects(fdReads([3], 0), RangeError);
  assert.deepEqual(await fdReads([], 24), []);
  let fd: number;
  try {
    fd = await perfEventOpen(encodeAttr({ type: PERF_TYPE_SOFTWARE, config: 0 /* cpu clock */ }), -1, 0);
  } catch (err) {
    assert.ok(err instanceof SyscallError && err.syscall === 'perf_event_open', String(err));
    return t.skip(`perf_event_open unavailable here: ${err.message}`);
  }
  const [buf, bad] = await fdReads([fd, 0x7ffffff0], 24);
  assert.ok(Buffer.isBuffer(buf), String(buf));
  const r = parseCounterRead(buf);
  assert.ok(r.enabledNs >= r.runningNs);
  // A bad fd fails alone, as its own entry.
  assert.ok(bad instanceof SyscallError && bad.code === 'EBADF' && bad.syscall === 'read', String(bad));
  await fdClose(fd);
});
