import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { parseSysctlInts, parseSysctlValues, sysctlFile } from '../../src/procfs/sysctl.js';
import { fixturePath } from '../helpers/repo.js';

const cases: { name: string; text: string; want?: number[]; error?: RegExp }[] = [
  { name: 'empty', text: '', want: [] },
  { name: 'one value', text: '60\n', want: [60] },
  { name: 'tab-separated values', text: '4096\t131072\t6291456\n', want: [4096, 131072, 6291456] },
  { name: 'invalid number', text: '4096\tlots\n', error: /field 1 "lots"/ },
  { name: 'beyond int64 (procfs reads int64 too)', text: '18446744073709551615\n', error: /field 0/ },
  { name: 'octal and hex as Go reads them', text: '022 0x10\n', want: [18, 16] },
];

for (const c of cases) {
  test(`parseSysctlInts: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseSysctlInts(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(parseSysctlInts(c.text), c.want);
    }
  });
}

test('parseSysctlValues splits on any white space; sysctlFile maps dots to directories', () => {
  assert.deepEqual(parseSysctlValues(' kill_process  kill_thread\ttrap\n'), ['kill_process', 'kill_thread', 'trap']);
  assert.deepEqual(parseSysctlValues('\n'), []);
  assert.equal(sysctlFile('net.ipv4.tcp_rmem'), 'sys/net/ipv4/tcp_rmem');
});

test('fixture /proc/sys files', async () => {
  assert.deepEqual(await readAndParse(fixturePath('proc', 'sys', 'net', 'ipv4', 'tcp_rmem'), parseSysctlInts), [4096, 131072, 6291456]);
  assert.deepEqual((await readAndParse(fixturePath('proc', 'sys', 'kernel', 'core_pattern'), parseSysctlValues))[0], '|/usr/lib/systemd/systemd-coredump');
  await assert.rejects(readAndParse(fixturePath('proc', 'sys', 'kernel', 'osrelease'), parseSysctlInts), /osrelease: sysctl field 0 "6.8.0-45-generic"/);
});
