import { statSync } from 'node:fs';
import { newDesc, type CollectorDefinition, type Desc } from '../collector.js';
import { filterFromFlags } from '../device-filter.js';
import { parseUdevData } from '../etc/udev-data.js';
import type { Logger } from '../logger.js';
import type { Paths } from '../paths.js';
import { parseDiskstats, type DiskstatsEntry } from '../procfs/diskstats.js';
import { parseGoFloat } from '../procfs/go-number.js';
import { type EarlyRead, ReadAhead, readAndParse } from '../read/files.js';
import { rotationalLabel } from '../sysfs/block.js';

const F = 'collector.diskstats';
const DEFAULT_EXCLUDE = '^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$';

/** The kernel counts sectors of 512 bytes whatever the device's own sector size. */
const SECTOR_BYTES = 512;
const MS = 1 / 1000;

const DEVICE = ['device'];
const counter = (name: string, help: string): Desc => newDesc(`node_disk_${name}`, help, 'counter', DEVICE);

/**
 * [Desc, factor from the kernel's unit to the metric's], in /proc/diskstats order.
 * node_exporter reports discarded sectors as sectors, not bytes.
 */
const COUNTERS: readonly (readonly [Desc, number])[] = [
  [counter('reads_completed_total', 'Reads completed successfully.'), 1],
  [counter('reads_merged_total', 'Adjacent reads merged into one.'), 1],
  [counter('read_bytes_total', 'Bytes read successfully.'), SECTOR_BYTES],
  [counter('read_time_seconds_total', 'Seconds spent by all reads.'), MS],
  [counter('writes_completed_total', 'Writes completed successfully.'), 1],
  [counter('writes_merged_total', 'Adjacent writes merged into one.'), 1],
  [counter('written_bytes_total', 'Bytes written successfully.'), SECTOR_BYTES],
  [counter('write_time_seconds_total', 'Seconds spent by all writes.'), MS],
  [newDesc('node_disk_io_now', 'I/Os in progress right now.', 'gauge', DEVICE), 1],
  [counter('io_time_seconds_total', 'Seconds the device had I/O in progress.'), MS],
  [counter('io_time_weighted_seconds_total', 'Seconds spent doing I/O, weighted by the number of I/Os in progress.'), MS],
  [counter('discards_completed_total', 'Discards completed successfully.'), 1],
  [counter('discards_merged_total', 'Adjacent discards merged into one.'), 1],
  [counter('discarded_sectors_total', 'Sectors discarded successfully.'), 1],
  [counter('discard_time_seconds_total', 'Seconds spent by all discards.'), MS],
  [counter('flush_requests_total', 'Flush requests completed successfully.'), 1],
  [counter('flush_requests_time_seconds_total', 'Seconds spent by all flush requests.'), MS],
];

/** [udev property, Desc]: the properties that become node_disk_ata_* gauges when the disk is ATA (ID_ATA set). */
const ATA: readonly (readonly [string, Desc])[] = [
  ['ID_ATA_ROTATION_RATE_RPM', newDesc('node_disk_ata_rotation_rate_rpm', 'Rotation rate of the ATA disk in RPM; 0 for solid state.', 'gauge', DEVICE)],
  ['ID_ATA_WRITE_CACHE', newDesc('node_disk_ata_write_cache', 'Whether the ATA disk has a write cache (1) or not (0).', 'gauge', DEVICE)],
  ['ID_ATA_WRITE_CACHE_ENABLED', newDesc('node_disk_ata_write_cache_enabled', 'Whether the write cache of the ATA disk is enabled (1) or not (0).', 'gauge', DEVICE)],
];

const info = newDesc('node_disk_info', 'Identity of the block device: udev properties and whether it rotates.', 'gauge', [
  'device',
  'major',
  'minor',
  'path',
  'wwn',
  'model',
  'serial',
  'revision',
  'rotational',
]);
const fsInfo = newDesc('node_disk_filesystem_info', 'Filesystem udev found on the block device.', 'gauge', ['device', 'type', 'usage', 'uuid', 'version']);
const dmInfo = newDesc('node_disk_device_mapper_info', 'Device mapper names udev knows for the block device.', 'gauge', [
  'device',
  'name',
  'uuid',
  'vg_name',
  'lv_name',
  'lv_layer',
]);

interface DeviceInfo {
  entry: DiskstatsEntry;
  udev: Map<string, string>;
  rotational: '0' | '1';
}

/**
 * Each device's udev record and queue/rotational, all read in one batch. A device without a
 * udev record (or with udev disabled) just has empty udev labels, as in node_exporter.
 */
async function readDevices(
  entries: readonly DiskstatsEntry[],
  paths: Paths,
  udevEnabled: boolean,
  logger: Logger,
  ahead: ReadAhead,
  early: EarlyRead | undefined,
): Promise<DeviceInfo[]> {
  const udevFiles = udevEnabled ? entries.map((e) => paths.udevDataFilePath(`b${e.major}:${e.minor}`)) : [];
  const rotationalFiles = entries.map((e) => paths.sysFilePath(`block/${e.device}/queue/rotational`));
  const texts = await ahead.read([...udevFiles, ...rotationalFiles], early);
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
    const filter = filterFromFlags({ exclude: `${F}.device-exclude`, include: `${F}.device-include`, deprecatedExclude: `${F}.ignored-devices` }, options, explicit, logger);
    // As node_exporter: without a readable udev database, no disk gets udev labels; say so once.
    let udevEnabled = false;
    try {
      udevEnabled = statSync(paths.udevData).isDirectory();
    } catch {
      udevEnabled = false;
    }
    if (!udevEnabled) logger.warn('udev database is not a readable directory; disk udev labels disabled', { path: paths.udevData });

    // The devices' files as last scrape listed them, read beside /proc/diskstats.
    const ahead = new ReadAhead();
    return {
      async collect(_ctx, out) {
        const early = ahead.start();
        const entries = await readAndParse(paths.procFilePath('diskstats'), parseDiskstats);
        const devices = await readDevices(
          entries.filter((e) => !filter.ignored(e.device)),
          paths,
          udevEnabled,
          logger,
          ahead,
          early,
        );
        for (const { entry, udev, rotational } of devices) {
          const device = entry.device;
          const prop = (key: string) => udev.get(key) ?? '';
          out.addv(info, 1, [
            device,
            String(entry.major),
            String(entry.minor),
            prop('ID_PATH'),
            prop('ID_WWN'),
            prop('ID_MODEL'), // The serial on the disk's label, else the short one, else virtio's ID_SERIAL.
            prop('SCSI_IDENT_SERIAL') || prop('ID_SERIAL_SHORT') || prop('ID_SERIAL'),
            prop('ID_REVISION'),
            rotational,
          ]);
          entry.counters.forEach((raw, i) => {
            const c = COUNTERS[i];
            if (c !== undefined) out.add(c[0], raw * c[1], device);
          });
          if (prop('ID_FS_TYPE') !== '') out.addv(fsInfo, 1, [device, prop('ID_FS_TYPE'), prop('ID_FS_USAGE'), prop('ID_FS_UUID'), prop('ID_FS_VERSION')]);
          if (prop('DM_NAME') !== '') {
            out.addv(dmInfo, 1, [device, prop('DM_NAME'), prop('DM_UUID'), prop('DM_VG_NAME'), prop('DM_LV_NAME'), prop('DM_LV_LAYER')]);
          }
          if (prop('ID_ATA') === '') continue;
          for (const [property, desc] of ATA) {
            const text = udev.get(property);
            if (text === undefined) continue;
            const value = parseGoFloat(text);
            if (value === undefined) logger.error('invalid ATA udev property', { device, property, value: text });
            else out.add(desc, value, device);
          }
        }
      },
    };
  },
};
