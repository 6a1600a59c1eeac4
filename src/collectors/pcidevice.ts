import { readlink } from '../read/dir.js';
import path from 'node:path';
import { booleanOption, type CollectorDefinition, type Desc, newDesc } from '../collector.js';
import type { Logger } from '../logger.js';
import { ParseError } from '../procfs/parse-error.js';
import { readProcFile, readProcFiles } from '../read/files.js';
import { parsePciIds, pciNames, type PciIds } from '../sysfs/pci-ids.js';
import { listOrNoData } from '../read/sysfs-class.js';
import { parsePciDevice, pciLocationLabels, PCI_ID_FILES, PCI_OPTIONAL_FILES, type PciDevice, type PciFile } from '../sysfs/pci-device.js';
import { hasErrno } from '../errno.js';

const NAMES_FLAG = 'collector.pcidevice.names';
const IDS_FILE_FLAG = 'collector.pcidevice.idsfile';
/** Where distributions install pci.ids (host paths, as upstream: not under --path.rootfs). */
const DEFAULT_IDS_FILES = ['/usr/share/misc/pci.ids', '/usr/share/hwdata/pci.ids'];
const IDS_LIMIT = 64 * 1024 * 1024;

const LOCATION = ['segment', 'bus', 'device', 'function'];
const INFO_LABELS = [
  ...LOCATION,
  'parent_segment',
  'parent_bus',
  'parent_device',
  'parent_function',
  'class_id',
  'vendor_id',
  'device_id',
  'subsystem_vendor_id',
  'subsystem_device_id',
  'revision',
];
const NAME_LABELS = ['vendor_name', 'device_name', 'subsystem_vendor_name', 'subsystem_device_name', 'class_name'];
const INFO_HELP = 'PCI device identity (IDs, parent bridge); value is always 1.';
const info = newDesc('node_pcidevice_info', INFO_HELP, 'gauge', INFO_LABELS);
// With --collector.pcidevice.names the family carries the names too, as upstream's descriptor does.
const infoWithNames = newDesc('node_pcidevice_info', INFO_HELP, 'gauge', [...INFO_LABELS, ...NAME_LABELS]);
const powerState = newDesc('node_pcidevice_power_state', 'Power state of the device: 1 for the current one of D0, D1, D2, D3hot, D3cold, unknown, error.', 'gauge', [
  ...LOCATION,
  'state',
]);
const numaNode = newDesc('node_pcidevice_numa_node', 'NUMA node of the device (left out when unknown).', 'gauge', LOCATION);

const perDevice = (suffix: string, help: string) => newDesc(`node_pcidevice_${suffix}`, help, 'gauge', LOCATION);
/** Value of each numeric family (absent fields as upstream reports them). */
const NUMERIC: readonly (readonly [Desc, (d: PciDevice) => number])[] = [
  [
    perDevice('max_link_transfers_per_second', 'Maximum transfer rate of the link, in transfers per second (-1: unknown).'),
    (d) => (d.maxLinkSpeed === undefined ? -1 : d.maxLinkSpeed * 1e9),
  ],
  [perDevice('max_link_width', 'Maximum width of the link, in lanes (-1: unknown).'), (d) => d.maxLinkWidth ?? -1],
  [
    perDevice('current_link_transfers_per_second', 'Current transfer rate of the link, in transfers per second (-1: unknown).'),
    (d) => (d.currentLinkSpeed === undefined ? -1 : d.currentLinkSpeed * 1e9),
  ],
  [perDevice('current_link_width', 'Current width of the link, in lanes (-1: unknown).'), (d) => d.currentLinkWidth ?? -1],
  [perDevice('d3cold_allowed', 'Whether the device may enter the D3cold power state (1) or not (0).'), (d) => (d.d3coldAllowed === true ? 1 : 0)],
  [perDevice('sriov_drivers_autoprobe', 'Whether drivers probe new SR-IOV virtual functions automatically (1) or not (0).'), (d) => (d.sriovDriversAutoprobe === true ? 1 : 0)],
  [perDevice('sriov_numvfs', 'SR-IOV virtual functions enabled.'), (d) => d.sriovNumvfs ?? 0],
  [perDevice('sriov_totalvfs', 'SR-IOV virtual functions the device supports.'), (d) => d.sriovTotalvfs ?? 0],
  [perDevice('sriov_vf_total_msix', 'MSI-X vectors available to SR-IOV virtual functions.'), (d) => d.sriovVfTotalMsix ?? 0],
];

/** The first readable pci.ids; without one, every name falls back to its ID (logged at debug). */
async function loadPciIds(file: string | undefined, logger: Logger): Promise<PciIds> {
  for (const f of file === undefined ? DEFAULT_IDS_FILES : [file]) {
    try {
      return parsePciIds(await readProcFile(f, IDS_LIMIT));
    } catch (err) {
      logger.debug('cannot read PCI IDs file', { file: f, err: String(err) });
    }
  }
  return parsePciIds('');
}

const POWER_STATES = ['D0', 'D1', 'D2', 'D3hot', 'D3cold', 'unknown', 'error'] as const;
const FILES: readonly PciFile[] = [...PCI_ID_FILES, ...PCI_OPTIONAL_FILES];
const hexId = (v: number, width: number): string => `0x${v.toString(16).padStart(width, '0')}`;

async function readDevice(base: string, name: string): Promise<PciDevice> {
  const dir = path.join(base, name);
  const target = await readlink(dir);
  const texts = await readProcFiles(FILES.map((f) => path.join(dir, f)));
  const files = new Map<PciFile, string>();
  FILES.forEach((f, i) => {
    const t = texts[i];
    if (typeof t === 'string') files.set(f, t.trim());
    // Only the optional attributes may be missing; any other read error fails the scrape, as upstream.
    else if (t !== undefined && !(hasErrno(t, 'ENOENT') && i >= PCI_ID_FILES.length)) throw t;
  });
  try {
    return parsePciDevice(target, files);
  } catch (err) {
    throw err instanceof ParseError ? err.withFile(dir) : err;
  }
}

/** node_pcidevice_info's label values, in INFO_LABELS order (then NAME_LABELS' when names are wanted). */
function infoValues(d: PciDevice, ids: PciIds | undefined): string[] {
  const parent = d.parent === undefined ? ['*', '*', '*', '*'] : pciLocationLabels(d.parent);
  const vendorId = hexId(d.vendor, 4);
  const deviceId = hexId(d.device, 4);
  const subsystemVendorId = hexId(d.subsystemVendor, 4);
  const subsystemDeviceId = hexId(d.subsystemDevice, 4);
  const classId = hexId(d.class, 6);
  const values = [...pciLocationLabels(d.location), ...parent, classId, vendorId, deviceId, subsystemVendorId, subsystemDeviceId, hexId(d.revision, 2)];
  if (ids === undefined) return values;
  const n = pciNames(ids, { vendorId, deviceId, subsystemVendorId, subsystemDeviceId, classId });
  return [...values, n.vendor_name, n.device_name, n.subsystem_vendor_name, n.subsystem_device_name, n.class_name];
}

export const pcidevice: CollectorDefinition = {
  name: 'pcidevice',
  defaultEnabled: false,
  options: [
    { flag: IDS_FILE_FLAG, help: `pci.ids file for --${NAMES_FLAG} (default: the first of ${DEFAULT_IDS_FILES.join(', ')}).` },
    { flag: NAMES_FLAG, help: 'Add vendor, device, subsystem and class names from pci.ids to node_pcidevice_info.', boolean: true },
  ],
  create({ paths, options, logger }) {
    const base = paths.sysFilePath('bus/pci/devices');
    const file = options.get(IDS_FILE_FLAG);
    // Loaded once, on the first scrape (upstream: at start).
    let ids: Promise<PciIds> | undefined;
    const withNames = booleanOption(options, NAMES_FLAG, false);
    return {
      async collect(_ctx, out) {
        if (withNames) ids ??= loadPciIds(typeof file === 'string' && file !== '' ? file : undefined, logger);
        const pciIds = await ids;
        const names = await listOrNoData(base);
        const devices = await Promise.all(names.map((n) => readDevice(base, n)));
        const infoDesc = pciIds === undefined ? info : infoWithNames;
        for (const d of devices) {
          const location = pciLocationLabels(d.location);
          out.addv(infoDesc, 1, infoValues(d, pciIds));
          for (const [desc, value] of NUMERIC) out.addv(desc, value(d), location);
          if (d.powerState !== undefined) for (const state of POWER_STATES) out.addv(powerState, state === d.powerState ? 1 : 0, [...location, state]);
          if (d.numaNode !== undefined && d.numaNode !== -1) out.addv(numaNode, d.numaNode, location);
        }
      },
    };
  },
};
