import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { isMultipathUuid, isPathActive, parseDmMultipathDevice } from '../../src/sysfs/dmmultipath.js';
import { FC_HOST_ATTRIBUTES, FC_HOST_COUNTERS, parseFibreChannelHost, parseUintBase0 } from '../../src/sysfs/fibrechannel.js';
import { NVME_NAMESPACE_FILES, nvmeNamespaceId, parseNvmeNamespace } from '../../src/sysfs/nvme.js';
import { readAttributes } from '../../src/read/files.js';
import { isTapeDevice, parseTapeStats, TAPE_STAT_FILES } from '../../src/sysfs/scsi-tape.js';
import { fixturePath } from '../helpers/repo.js';

const map = (o: Record<string, string>): Map<string, string> => new Map(Object.entries(o));

test('parseUintBase0: the bases strconv.ParseUint(s, 0, 64) takes', () => {
  const cases: [string, bigint | undefined][] = [
    ['0x1f', 31n],
    ['0X1F', 31n],
    ['017', 15n],
    ['0o17', 15n],
    ['0b101', 5n],
    ['42', 42n],
    ['0', 0n],
    ['1_000', 1000n],
    ['0xffffffffffffffff', 2n ** 64n - 1n],
    ['0x10000000000000000', undefined],
    ['', undefined],
    ['0x', undefined],
    ['-1', undefined],
    ['08', undefined],
    ['12 ', undefined],
    ['1__0', undefined],
  ];
  for (const [text, want] of cases) assert.equal(parseUintBase0(text), want, text);
});

test('parseUintBase0: a long digit run before a bad character is rejected in linear time (no regex backtracking)', () => {
  // Found by the fuzzer (test/fuzz): the same (_?\d+)* patterns as parseGoInt's took 2^n steps.
  for (const text of [`0x${'f'.repeat(30)}g`, `1${'2'.repeat(30)}x`, `0${'7'.repeat(30)}8`]) {
    const started = performance.now();
    assert.equal(parseUintBase0(text), undefined, text);
    const ms = performance.now() - started;
    assert.ok(ms < 200, `${text}: ${ms.toFixed(0)} ms`);
  }
});

const fcCases: { name: string; stats: Record<string, string>; error?: RegExp; want?: [string, number][] }[] = [
  { name: 'no statistics at all', stats: {}, want: [] },
  { name: 'invalid counter', stats: { rx_frames: '0xzz' }, error: /statistics\/rx_frames: invalid counter "0xzz"/ },
  { name: 'empty counter (truncated read)', stats: { tx_words: '' }, error: /statistics\/tx_words: invalid counter/ },
  { name: 'all ones means unsupported; unknown files ignored', stats: { nos_count: '0xffffffffffffffff', lip_count: '0x3', rx_words: '0x10' }, want: [['rx_words', 16]] },
];

for (const c of fcCases) {
  test(`parseFibreChannelHost: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseFibreChannelHost('host0', new Map(), map(c.stats)),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual([...parseFibreChannelHost('host0', new Map(), map(c.stats)).counters], c.want);
    }
  });
}

test('parseFibreChannelHost: "0x" dropped from WWNs and port_id, other attributes as they are', () => {
  const h = parseFibreChannelHost('host0', map({ port_id: '0x010a00', fabric_name: '0x0', node_name: '0x', speed: '0x speed' }), new Map());
  assert.deepEqual(
    [...h.attributes],
    [
      ['speed', '0x speed'],
      ['node_name', '0x'],
      ['port_id', '010a00'],
      ['fabric_name', '0'],
    ],
  );
});

test('fixture sys/class/fc_host/host3', async () => {
  const dir = fixturePath('sys', 'class', 'fc_host', 'host3');
  const h = parseFibreChannelHost('host3', await readAttributes(dir, FC_HOST_ATTRIBUTES), await readAttributes(`${dir}/statistics`, FC_HOST_COUNTERS));
  assert.equal(h.attributes.get('port_name'), '21000024ff7a1b3c');
  assert.equal(h.attributes.get('symbolic_name'), 'QLE2692 FW:v9.08.02 DVR:v10.02.09.100-k');
  assert.equal(h.counters.get('rx_frames'), 0x1a2b3c4d5e);
  assert.equal(h.counters.has('dumped_frames'), false);
  assert.equal(h.counters.has('nos_count'), false);
  assert.equal(h.counters.size, 12);
});

test('nvmeNamespaceId: namespace directories only', () => {
  assert.deepEqual(['nvme0n1', 'nvme12n34', 'nvme0', 'nvme0c0n1', 'ng0n1', 'power'].map(nvmeNamespaceId), ['1', '34', undefined, undefined, undefined, undefined]);
});

test('parseNvmeNamespace: bytes are blocks × block size; garbage counts as 0; ana_state defaults to unknown', () => {
  assert.deepEqual(parseNvmeNamespace('1', map({ size: '100', nuse: '10', 'queue/logical_block_size': '4096' })), {
    id: '1',
    anaState: 'unknown',
    logicalBlockSize: 4096,
    usedBytes: 40960,
    sizeBytes: 409600,
  });
  assert.deepEqual(parseNvmeNamespace('2', map({ size: 'x', nuse: '', 'queue/logical_block_size': '512', ana_state: 'optimized\n' })), {
    id: '2',
    anaState: 'optimized',
    logicalBlockSize: 512,
    usedBytes: 0,
    sizeBytes: 0,
  });
  // uint64 wrap-around, as the Go product does.
  assert.equal(parseNvmeNamespace('3', map({ size: '18446744073709551615', nuse: '0', 'queue/logical_block_size': '2' })).sizeBytes, Number(2n ** 64n - 2n));
});

test('fixture sys/class/nvme/nvme0/nvme0n1', async () => {
  const ns = parseNvmeNamespace('1', await readAttributes(fixturePath('sys', 'class', 'nvme', 'nvme0', 'nvme0n1'), NVME_NAMESPACE_FILES));
  assert.deepEqual(ns, { id: '1', anaState: 'unknown', logicalBlockSize: 512, usedBytes: 1211887504 * 512, sizeBytes: 3907029168 * 512 });
});

test('isTapeDevice: the st<N> names only', () => {
  assert.deepEqual(['st0', 'st12', 'nst0', 'st0a', 'st0l', 'st'].map(isTapeDevice), [true, true, false, false, false, false]);
});

test('parseTapeStats: missing files read 0, bad numbers throw', () => {
  const s = parseTapeStats(map({ read_cnt: '7\n' }));
  assert.equal(s.size, TAPE_STAT_FILES.length);
  assert.equal(s.get('read_cnt'), 7);
  assert.equal(s.get('write_ns'), 0);
  assert.throws(
    () => parseTapeStats(map({ io_ns: '12abc' })),
    (err: unknown) => err instanceof ParseError && err.file === 'io_ns',
  );
  assert.throws(() => parseTapeStats(map({ io_ns: '' })), ParseError);
});

test('fixture sys/class/scsi_tape/st0/stats', async () => {
  const s = parseTapeStats(await readAttributes(fixturePath('sys', 'class', 'scsi_tape', 'st0', 'stats'), TAPE_STAT_FILES));
  assert.equal(s.get('io_ns'), 58211093312044);
  assert.equal(s.get('write_byte_cnt'), 9895604649984);
});

test('dm-multipath: uuid prefix, path states, sizes in 512-byte sectors', () => {
  assert.equal(isMultipathUuid('mpath-3600\n'), true);
  assert.equal(isMultipathUuid('LVM-abc'), false);
  assert.deepEqual(['running', 'live', 'offline', 'transport-offline', 'blocked'].map(isPathActive), [true, true, false, false, false]);
  const d = parseDmMultipathDevice('dm-9', { uuid: 'mpath-1\n', name: 'mpathz\n', suspended: '1\n', size: '8\n' }, []);
  assert.deepEqual(d, { name: 'mpathz', sysfsName: 'dm-9', uuid: 'mpath-1', suspended: true, sizeBytes: 4096, paths: [] });
  assert.throws(
    () => parseDmMultipathDevice('dm-9', { uuid: 'mpath-1', name: 'a', suspended: 'no', size: '8' }, []),
    (err: unknown) => err instanceof ParseError && err.file === 'dm/suspended',
  );
  assert.throws(
    () => parseDmMultipathDevice('dm-9', { uuid: 'mpath-1', name: 'a', suspended: '0', size: '' }, []),
    (err: unknown) => err instanceof ParseError && err.file === 'size',
  );
});

test('readAttributes: absent files are left out, present ones trimmed', async () => {
  const got = await readAttributes(fixturePath('sys', 'block', 'dm-2', 'dm'), ['name', 'uuid', 'no-such-file']);
  assert.deepEqual(
    [...got],
    [
      ['name', 'mpatha'],
      ['uuid', 'mpath-36005076810810123a800000000000042'],
    ],
  );
});
