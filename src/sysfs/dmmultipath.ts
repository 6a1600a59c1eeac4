import { ParseError } from '../procfs/parse-error.js';
import { parseUintValue } from '../procfs/value-file.js';

/** The attribute files of /sys/block/dm-N that describe a device-mapper map. */
export interface DmDeviceTexts {
  /** dm/uuid, dm/name, dm/suspended and size, untrimmed. */
  uuid: string;
  name: string;
  suspended: string;
  size: string;
}

export interface DmMultipathPath {
  /** The block device behind the path, e.g. "sdi". */
  device: string;
  /** Its device/state as the kernel prints it ("running", "offline", NVMe's "live", ...). */
  state: string;
}

export interface DmMultipathDevice {
  name: string;
  sysfsName: string;
  uuid: string;
  suspended: boolean;
  sizeBytes: number;
  paths: DmMultipathPath[];
}

/** Multipath maps are the device-mapper devices whose UUID multipathd prefixed with "mpath-". */
export function isMultipathUuid(uuidText: string): boolean {
  return uuidText.trim().startsWith('mpath-');
}

/** The kernel's block-layer sector, whatever the device's own sector size. */
const SECTOR_BYTES = 512;

const field = <T>(what: string, parse: () => T): T => {
  try {
    return parse();
  } catch (err) {
    // Named relative to the device directory; the caller makes it absolute.
    if (err instanceof ParseError) throw new ParseError(err.reason, err.line).withFile(what);
    throw err;
  }
};

export function parseDmMultipathDevice(sysfsName: string, t: DmDeviceTexts, paths: DmMultipathPath[]): DmMultipathDevice {
  return {
    name: t.name.trim(),
    sysfsName,
    uuid: t.uuid.trim(),
    suspended: field('dm/suspended', () => parseUintValue(t.suspended)) === 1,
    sizeBytes: field('size', () => parseUintValue(t.size)) * SECTOR_BYTES,
    paths,
  };
}

/** A path is usable when its SCSI device is running or its NVMe controller live. */
export function isPathActive(state: string): boolean {
  return state === 'running' || state === 'live';
}
