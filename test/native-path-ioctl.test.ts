import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BTRFS_IOC_FS_INFO, fsInfoRequest } from '../src/btrfs/ioctl.js';
import { nativeThreads, pathIoctl, SyscallError } from '../src/native.js';

test('pathIoctl: bad arguments throw before reaching the addon', async () => {
  await assert.rejects(pathIoctl('', BTRFS_IOC_FS_INFO, fsInfoRequest()), RangeError);
  await assert.rejects(pathIoctl('/tmp\0/x', BTRFS_IOC_FS_INFO, fsInfoRequest()), RangeError);
  await assert.rejects(pathIoctl(42 as unknown as string, BTRFS_IOC_FS_INFO, fsInfoRequest()), TypeError);
  await assert.rejects(pathIoctl('/tmp', -1, fsInfoRequest()), RangeError);
  await assert.rejects(pathIoctl('/tmp', 2 ** 32, fsInfoRequest()), RangeError);
  await assert.rejects(pathIoctl('/tmp', 1.5, fsInfoRequest()), RangeError);
  await assert.rejects(pathIoctl('/tmp', BTRFS_IOC_FS_INFO, new Uint8Array(8) as Buffer), TypeError);
});

test('pathIoctl: errors carry errno name, syscall and path; the input buffer is not touched', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nts-ioctl-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const missing = path.join(dir, 'absent');
  await assert.rejects(
    pathIoctl(missing, BTRFS_IOC_FS_INFO, fsInfoRequest()),
    (e: unknown) => e instanceof SyscallError && e.code === 'ENOENT' && e.syscall === 'ioctl' && e.path === missing,
  );
  // A directory on a filesystem that does not know the request (procfs: never btrfs).
  const input = fsInfoRequest();
  await assert.rejects(
    pathIoctl('/proc', BTRFS_IOC_FS_INFO, input),
    (e: unknown) => e instanceof SyscallError && e.code === 'ENOTTY' && e.path === '/proc' && e.message === 'Inappropriate ioctl for device',
  );
  assert.ok(input.every((b) => b === 0));
});

test("pathIoctl: a request that fills the buffer returns the kernel's copy (FIONREAD on a file)", async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nts-ioctl-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { writeFileSync } = await import('node:fs');
  const file = path.join(dir, 'five');
  writeFileSync(file, 'hello');
  const input = Buffer.alloc(4, 0xff);
  const out = await pathIoctl(file, 0x541b /* FIONREAD */, input);
  assert.equal(out.readInt32LE(0), 5, 'bytes left to read from offset 0');
  assert.equal(input.readUInt32LE(0), 0xffffffff, "a copy, not the caller's buffer");
  assert.ok(nativeThreads().live >= 1);
});
