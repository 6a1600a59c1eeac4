import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, type CollectorDefinition } from '../../src/collector.js';
import { diskstats } from '../../src/collectors/diskstats.js';
import type { PathRoots } from '../../src/paths.js';
import { buildCollector, collectOnce, collectSeries, familySeries, seriesMap } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';

/** Option values as the CLI gives them when no flag is passed: upstream's defaults. */
function defaults(def: CollectorDefinition): Record<string, string> {
  return Object.fromEntries((def.options ?? []).filter((o) => o.defaultValue !== undefined).map((o) => [o.flag, o.defaultValue ?? '']));
}

const roots: Partial<PathRoots> = { procfs: fixturePath('proc'), sysfs: fixturePath('sys'), rootfs: fixturePath() };
const collect = (options: Record<string, string> = {}, explicit: string[] = Object.keys(options), r = roots) =>
  collectSeries(diskstats, { roots: r, options: { ...defaults(diskstats), ...options }, explicit });
const devices = (m: Map<string, number>) => [...familySeries(m, 'node_disk_info').keys()].map((k) => /device="([^"]+)"/.exec(k)?.[1]);

test('default exclude drops partitions, loop and ram devices', async () => {
  assert.deepEqual(devices(await collect()), ['nvme0n1', 'sda', 'sr0', 'dm-0', 'dm-1', 'vda', 'mmcblk0', 'xvda']);
});

test('units: sectors → bytes, ms → seconds; discarded sectors stay sectors', async () => {
  const m = await collect();
  assert.equal(m.get('node_disk_read_bytes_total{device="sda"}'), 2 ** 53 * 512);
  assert.equal(m.get('node_disk_written_bytes_total{device="nvme0n1"}'), 313384650 * 512);
  assert.equal(m.get('node_disk_read_time_seconds_total{device="sda"}'), 27110.452);
  assert.equal(m.get('node_disk_io_time_weighted_seconds_total{device="nvme0n1"}'), 4681.287);
  assert.equal(m.get('node_disk_io_now{device="sda"}'), 3);
  assert.equal(m.get('node_disk_discarded_sectors_total{device="nvme0n1"}'), 191237336);
  assert.equal(m.get('node_disk_flush_requests_time_seconds_total{device="nvme0n1"}'), 380.091);
});

test('only the families a line has: 11, 15 or 17 counters', async () => {
  const m = await collect();
  for (const [device, has] of [
    ['xvda', 11],
    ['mmcblk0', 15],
    ['sda', 17],
  ] as const) {
    const n = [...m.keys()].filter((k) => k.endsWith(`{device="${device}"}`) && !k.startsWith('node_disk_ata')).length;
    assert.equal(n, has, device);
  }
});

test('node_disk_info from udev and queue/rotational', async () => {
  const m = await collect();
  assert.equal(
    m.get(
      'node_disk_info{device="sda",major="8",minor="0",model="ST4000DM004-2CV104",path="pci-0000:00:17.0-ata-1.0",revision="0001",rotational="1",serial="ZFN1A2B3-DISKLABEL",wwn="0x5000c500c1d2e3f4"}',
    ),
    1,
  );
  // SCSI_IDENT_SERIAL empty → ID_SERIAL_SHORT; only ID_SERIAL (virtio) → ID_SERIAL; CRLF record.
  assert.ok(
    m.has(
      'node_disk_info{device="sr0",major="11",minor="0",model="HL-DT-ST_DVD+_-RW_GHB0N",path="pci-0000:00:17.0-ata-2",revision="A1C0",rotational="1",serial="K1J8B4F0123",wwn=""}',
    ),
  );
  assert.ok(m.has('node_disk_info{device="vda",major="254",minor="0",model="",path="pci-0000:00:05.0",revision="",rotational="1",serial="vm-7f3a-disk0",wwn=""}'));
  // No udev record, no queue dir (or junk in rotational): empty labels, rotational "0".
  assert.ok(m.has('node_disk_info{device="xvda",major="202",minor="0",model="",path="",revision="",rotational="0",serial="",wwn=""}'));
  assert.ok(m.has('node_disk_info{device="mmcblk0",major="179",minor="0",model="",path="",revision="",rotational="0",serial="",wwn=""}'));
});

test('filesystem, device mapper and ATA families only where udev has them', async () => {
  const m = await collect();
  assert.deepEqual(
    [...familySeries(m, 'node_disk_filesystem_info').keys()],
    [
      'node_disk_filesystem_info{device="dm-0",type="LVM2_member",usage="raid",uuid="Xq3Lm9-aB2c-dE4f-gH5i-jK6l-mN7o-pQ8r9S",version="LVM2 001"}',
      'node_disk_filesystem_info{device="dm-1",type="ext4",usage="filesystem",uuid="6a1f0e2d-3c4b-4a59-8e7d-0f1e2d3c4b5a",version="1.0"}',
    ],
  );
  assert.ok(
    m.has(
      'node_disk_device_mapper_info{device="dm-1",lv_layer="",lv_name="root",name="vg0-root",uuid="LVM-f4Hc2kLm8NpQ1rSt3UvW5xYz7Ab9Cd0EgH2iJ4kL6mN8oP0qR2sT4uV6wX8yZ0aB",vg_name="vg0"}',
    ),
  );
  assert.equal(familySeries(m, 'node_disk_device_mapper_info').size, 2);
  assert.deepEqual(
    [...m].filter(([k]) => k.startsWith('node_disk_ata')),
    [
      ['node_disk_ata_rotation_rate_rpm{device="sda"}', 5425],
      ['node_disk_ata_write_cache{device="sda"}', 1],
      ['node_disk_ata_write_cache{device="sr0"}', 0],
      ['node_disk_ata_write_cache_enabled{device="sda"}', 1],
    ],
  );
});

test('device include/exclude flags, the deprecated flag, conflicts', async () => {
  assert.deepEqual(devices(await collect({ 'collector.diskstats.device-include': '^(sda|nvme0n1p1)$' })), ['nvme0n1p1', 'sda']);
  // The deprecated flag replaces the default exclude (partitions and loop devices come back).
  assert.deepEqual(devices(await collect({ 'collector.diskstats.ignored-devices': '^(dm|sr|vd|xv|mmc|nvme)' })), ['loop0', 'loop1', 'sda', 'sda1']);
  assert.throws(
    () =>
      buildCollector(diskstats, {
        roots,
        options: { 'collector.diskstats.device-exclude': 'x', 'collector.diskstats.device-include': 'y' },
        explicit: ['collector.diskstats.device-exclude', 'collector.diskstats.device-include'],
      }),
    ConfigError,
  );
  assert.throws(() => buildCollector(diskstats, { roots, options: { 'collector.diskstats.device-exclude': '(' }, explicit: ['collector.diskstats.device-exclude'] }), ConfigError);
});

test('without a udev database no udev labels, still every counter', async () => {
  const m = await collect({}, [], { ...roots, udevData: fixturePath('no-such-udev-dir') });
  assert.ok(m.has('node_disk_info{device="sda",major="8",minor="0",model="",path="",revision="",rotational="1",serial="",wwn=""}'));
  assert.equal(familySeries(m, 'node_disk_filesystem_info').size, 0);
  assert.equal(familySeries(m, 'node_disk_reads_completed_total').size, 8);
});

test('a missing or malformed /proc/diskstats fails the collector', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nts-diskstats-'));
  try {
    await assert.rejects(collect({}, [], { ...roots, procfs: dir }), /ENOENT|no such file/i);
    writeFileSync(path.join(dir, 'diskstats'), '   8 0 sda 1 2 3 4 5 6 7 8 9 ten 11\n');
    await assert.rejects(collect({}, [], { ...roots, procfs: dir }), /diskstats:1: invalid counter 10 of sda "ten"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an ATA value that is not a number is skipped, the rest stays', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nts-udev-'));
  try {
    cpSync(fixturePath('run', 'udev', 'data'), dir, { recursive: true });
    writeFileSync(path.join(dir, 'b8:0'), 'E:ID_ATA=1\nE:ID_ATA_ROTATION_RATE_RPM=fast\nE:ID_ATA_WRITE_CACHE=1\n');
    const m = await collect({}, [], { ...roots, udevData: dir });
    assert.equal(m.has('node_disk_ata_rotation_rate_rpm{device="sda"}'), false);
    assert.equal(m.get('node_disk_ata_write_cache{device="sda"}'), 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('devices coming, changing and going between scrapes: each scrape shows its own /sys', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nts-diskstats-churn-'));
  const line = (minor: number, name: string) => `   8 ${String(minor).padStart(7)} ${name} 1 2 3 4 5 6 7 8 9 10 11\n`;
  const rotational = (name: string, value: string) => {
    mkdirSync(path.join(dir, 'sys', 'block', name, 'queue'), { recursive: true });
    writeFileSync(path.join(dir, 'sys', 'block', name, 'queue', 'rotational'), `${value}\n`);
  };
  try {
    mkdirSync(path.join(dir, 'proc'));
    const r = { procfs: path.join(dir, 'proc'), sysfs: path.join(dir, 'sys'), rootfs: dir, udevData: path.join(dir, 'no-udev') };
    // One collector across scrapes, as the exporter runs it (it reads ahead what the last scrape listed).
    const collector = buildCollector(diskstats, { roots: r, options: defaults(diskstats) });
    const scrape = async () => {
      const m = seriesMap(await collectOnce(collector));
      return [...familySeries(m, 'node_disk_info').keys()].map((k) => `${/device="([^"]+)"/.exec(k)?.[1]}:${/rotational="(\d)"/.exec(k)?.[1]}`);
    };
    writeFileSync(path.join(r.procfs, 'diskstats'), line(0, 'sda'));
    rotational('sda', '1');
    assert.deepEqual(await scrape(), ['sda:1']);
    assert.deepEqual(await scrape(), ['sda:1']);
    // sda's attribute changes and sdb comes: both as the files are now, on the first scrape after.
    rotational('sda', '0');
    rotational('sdb', '0');
    writeFileSync(path.join(r.procfs, 'diskstats'), line(0, 'sda') + line(16, 'sdb'));
    assert.deepEqual(await scrape(), ['sda:0', 'sdb:0']);
    rotational('sdb', '1');
    assert.deepEqual(await scrape(), ['sda:0', 'sdb:1']);
    // sda goes.
    writeFileSync(path.join(r.procfs, 'diskstats'), line(16, 'sdb'));
    assert.deepEqual(await scrape(), ['sdb:1']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
