import { statSync } from 'node:fs';
import { family, type CollectorDefinition, type MetricFamily, type MetricType } from '../collector.js';
import { filterFromFlags } from '../device-filter.js';
import { parseUdevData } from '../etc/udev-data.js';
import type { Logger } from '../logger.js';
import type { Paths } from '../paths.js';
import { parseDiskstats, type DiskstatsEntry } from '../procfs/diskstats.js';
import { parseGoFloat } from '../procfs/go-number.js';
import { readAndParse, readProcFiles } from '../procfs/read.js';
import { rotationalLabel } from '../sysfs/block.js';

const F = 'collector.diskstats';
const DEFAULT_EXCLUDE = '^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$';

/** The kernel counts sectors of 512 bytes whatever the device's own sector size. */
const SECTOR_BYTES = 512;
const MS = 1 / 1000;

/**
 * The per-counter families, in /proc/diskstats order, with the factor that turns the kernel's
 * unit into the metric's. node_exporter reports discarded sectors as sectors, not bytes.
 */
const COUNTER_FAMILIES: readonly { name: string; help: string; type: MetricType; scale: number }[] = [
  { name: 'reads_completed_total', help: 'Reads completed successfully.', type: 'counter', scale: 1 },
  { name: 'reads_merged_total', help: 'Adjacent reads merged into one.', type: 'counter', scale: 1 },
  { name: 'read_bytes_total', help: 'Bytes read successfully.', type: 'counter', scale: SECTOR_BYTES },
  { name: 'read_time_seconds_total', help: 'Seconds spent by all reads.', type: 'counter', scale: MS },
  { name: 'writes_completed_total', help: 'Writes completed successfully.', type: 'counter', scale: 1 },
  { name: 'writes_merged_total', help: 'Adjacent writes merged into one.', type: 'counter', scale: 1 },
  { name: 'written_bytes_total', help: 'Bytes written successfully.', type: 'counter', scale: SECTOR_BYTES },
  { name: 'write_time_seconds_total', help: 'Seconds spent by all writes.', type: 'counter', scale: MS },
  { name: 'io_now', help: 'I/Os in progress right now.', type: 'gauge', scale: 1 },
  { name: 'io_time_seconds_total', help: 'Seconds the device had I/O in progress.', type: 'counter', scale: MS },
  { name: 'io_time_weighted_seconds_total', help: 'Seconds spent doing I/O, weighted by the number of I/Os in progress.', type: 'counter', scale: MS },
  { name: 'discards_completed_total', help: 'Discards completed successfully.', type: 'counter', scale: 1 },
  { name: 'discards_merged_total', help: 'Adjacent discards merged into one.', type: 'counter', scale: 1 },
  { name: 'discarded_sectors_total', help: 'Sectors discarded successfully.', type: 'counter', scale: 1 },
  { name: 'discard_time_seconds_total', help: 'Seconds spent by all discards.', type: 'counter', scale: MS },
  { name: 'flush_requests_total', help: 'Flush requests completed successfully.', type: 'counter', scale: 1 },
  { name: 'flush_requests_time_seconds_total', help: 'Seconds spent by all flush requests.', type: 'counter', scale: MS },
];

/** udev properties that become node_disk_ata_* gauges when the disk is ATA (ID_ATA set). */
const ATA_FAMILIES: readonly { property: string; name: string; help: string }[] = [
  { property: 'ID_ATA_ROTATION_RATE_RPM', name: 'ata_rotation_rate_rpm', help: 'Rotation rate of the ATA disk in RPM; 0 for solid state.' },
  { property: 'ID_ATA_WRITE_CACHE', name: 'ata_write_cache', help: 'Whether the ATA disk has a write cache (1) or not (0).' },
  { property: 'ID_ATA_WRITE_CACHE_ENABLED', name: 'ata_write_cache_enabled', help: 'Whether the write cache of the ATA disk is enabled (1) or not (0).' },
];

interface DeviceInfo {
  entry: DiskstatsEntry;
  udev: Map<string, string>;
  rotational: '0' | '1';
}

/**
 * Each device's udev record and queue/rotational, all read in one batch. A device without a
 * udev record (or with udev disabled) just has empty udev labels, as in node_exporter.
 */
async function readDevices(entries: readonly DiskstatsEntry[], paths: Paths, udevEnabled: boolean, logger: Logger): Promise<DeviceInfo[]> {
  const udevFiles = udevEnabled ? entries.map((e) => paths.udevDataFilePath(`b${e.major}:${e.minor}`)) : [];
  const rotationalFiles = entries.map((e) => paths.sysFilePath(`block/${e.device}/queue/rotational`));
  const texts = await readProcFiles([...udevFiles, ...rotationalFiles]);
  return entries.map((entry, i) => {
    let udev = new Map<string, string>();
    if (udevEnabled) {
      const text = texts[i];
      if (typeof text === 'string') udev = parseUdevData(text).properties;
      else logger.debug('no udev properties for the device', { device: entry.device, file: udevFiles[i], err: text });
    }
    const rotational = texts[udevFiles.length + i];
    return { entry, udev, rotational: rotationalLabel(typeof rotational === 'string' ? rotational : undefined) };
  });
}

export const diskstats: CollectorDefinition = {
  name: 'diskstats',
  defaultEnabled: true,
  options: [
    { flag: `${F}.device-exclude`, help: 'Regexp of block devices to leave out (cannot be combined with device-include).', defaultValue: DEFAULT_EXCLUDE },
    { flag: `${F}.device-include`, help: 'Regexp of the only block devices to report (cannot be combined with device-exclude).' },
    { flag: `${F}.ignored-devices`, help: 'Deprecated old name of --collector.diskstats.device-exclude.', hidden: true },
  ],
  create({ paths, logger, options, explicit }) {
    const filter = filterFromFlags(
      { exclude: `${F}.device-exclude`, include: `${F}.device-include`, deprecatedExclude: `${F}.ignored-devices` },
      options, explicit, logger,
    );
    // As node_exporter: without a readable udev database, no disk gets udev labels; say so once.
    let udevEnabled = false;
    try {
      udevEnabled = statSync(paths.udevData).isDirectory();
    } catch {
      udevEnabled = false;
    }
    if (!udevEnabled) logger.warn('udev database is not a readable directory; disk udev labels disabled', { path: paths.udevData });

    return {
      async collect(): Promise<MetricFamily[]> {
        const entries = await readAndParse(paths.procFilePath('diskstats'), parseDiskstats);
        const devices = await readDevices(entries.filter((e) => !filter.ignored(e.device)), paths, udevEnabled, logger);
        const counters = COUNTER_FAMILIES.map((c) => family(`node_disk_${c.name}`, c.help, c.type));
        const info = family('node_disk_info', 'Identity of the block device: udev properties and whether it rotates.', 'gauge');
        const fsInfo = family('node_disk_filesystem_info', 'Filesystem udev found on the block device.', 'gauge');
        const dmInfo = family('node_disk_device_mapper_info', 'Device mapper names udev knows for the block device.', 'gauge');
        const ata = ATA_FAMILIES.map((a) => ({ ...a, family: family(`node_disk_${a.name}`, a.help, 'gauge') }));

        for (const { entry, udev, rotational } of devices) {
          const device = entry.device;
          const prop = (key: string) => udev.get(key) ?? '';
          info.samples.push({
            labels: {
              device,
              major: String(entry.major),
              minor: String(entry.minor),
              path: prop('ID_PATH'),
              wwn: prop('ID_WWN'),
              model: prop('ID_MODEL'),
              // The serial on the disk's label, else the short one, else virtio's ID_SERIAL.
              serial: prop('SCSI_IDENT_SERIAL') || prop('ID_SERIAL_SHORT') || prop('ID_SERIAL'),
              revision: prop('ID_REVISION'),
              rotational,
            },
            value: 1,
          });
          entry.counters.forEach((raw, i) => {
            const c = COUNTER_FAMILIES[i];
            const f = counters[i];
            if (c !== undefined && f !== undefined) f.samples.push({ labels: { device }, value: raw * c.scale });
          });
          if (prop('ID_FS_TYPE') !== '') {
            fsInfo.samples.push({
              labels: { device, type: prop('ID_FS_TYPE'), usage: prop('ID_FS_USAGE'), uuid: prop('ID_FS_UUID'), version: prop('ID_FS_VERSION') },
              value: 1,
            });
          }
          if (prop('DM_NAME') !== '') {
            dmInfo.samples.push({
              labels: { device, name: prop('DM_NAME'), uuid: prop('DM_UUID'), vg_name: prop('DM_VG_NAME'), lv_name: prop('DM_LV_NAME'), lv_layer: prop('DM_LV_LAYER') },
              value: 1,
            });
          }
          if (prop('ID_ATA') !== '') {
            for (const a of ata) {
              const text = udev.get(a.property);
              if (text === undefined) continue;
              const value = parseGoFloat(text);
              if (value === undefined) logger.error('invalid ATA udev property', { device, property: a.property, value: text });
              else a.family.samples.push({ labels: { device }, value });
            }
          }
        }
        return [info, ...counters, fsInfo, dmInfo, ...ata.map((a) => a.family)];
      },
    };
  },
};
