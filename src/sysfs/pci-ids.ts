/**
 * The pci.ids database (https://pci-ids.ucw.cz/): vendors with their devices (one tab) and
 * subsystems (two tabs), then classes ("C xx") with subclasses and programming interfaces.
 * IDs and names are separated by two spaces. Lines that do not fit are skipped, as upstream
 * does; the file is data we only annotate with, never a reason to fail.
 */
export interface PciIds {
  vendors: Map<string, string>;
  /** vendor → device → name */
  devices: Map<string, Map<string, string>>;
  /** "vendor:device" → "subvendor:subdevice" → name */
  subsystems: Map<string, Map<string, string>>;
  classes: Map<string, string>;
  /** base class + subclass, e.g. "0108" */
  subclasses: Map<string, string>;
  /** base class + subclass + programming interface, e.g. "010802" */
  progIfs: Map<string, string>;
}

/** "id  name" → [id, name], or undefined without the two-space separator. */
function idAndName(line: string): [string, string] | undefined {
  const at = line.indexOf('  ');
  return at < 0 ? undefined : [line.slice(0, at).trim(), line.slice(at + 2).trim()];
}

const nested = (m: Map<string, Map<string, string>>, key: string): Map<string, string> => {
  let inner = m.get(key);
  if (inner === undefined) m.set(key, (inner = new Map()));
  return inner;
};

export function parsePciIds(text: string): PciIds {
  const ids: PciIds = { vendors: new Map(), devices: new Map(), subsystems: new Map(), classes: new Map(), subclasses: new Map(), progIfs: new Map() };
  let vendor = '';
  let device = '';
  let baseClass = '';
  let subclass = '';
  let inClasses = false;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '' || line.startsWith('#')) continue;
    const tabs = line.startsWith('\t\t') ? 2 : line.startsWith('\t') ? 1 : 0;
    if (line.startsWith('C ')) {
      const p = idAndName(line);
      if (p !== undefined) {
        baseClass = p[0].slice(1).trim();
        ids.classes.set(baseClass, p[1]);
        inClasses = true;
      }
    } else if (inClasses && tabs === 1) {
      const p = idAndName(line.slice(1));
      if (p !== undefined && baseClass !== '') {
        subclass = baseClass + p[0];
        ids.subclasses.set(subclass, p[1]);
      }
    } else if (inClasses && tabs === 2 && !line.startsWith('\t\t\t')) {
      const p = idAndName(line.slice(2));
      if (p !== undefined && subclass !== '') ids.progIfs.set(subclass + p[0], p[1]);
    } else if (tabs === 0) {
      const p = idAndName(line);
      if (p !== undefined) {
        [vendor] = p;
        ids.vendors.set(vendor, p[1]);
        device = '';
        inClasses = false;
      }
    } else if (tabs === 1) {
      const p = idAndName(line.slice(1));
      if (p !== undefined && vendor !== '') {
        [device] = p;
        nested(ids.devices, vendor).set(device, p[1]);
      }
    } else {
      const p = idAndName(line.slice(2));
      if (p !== undefined && vendor !== '' && device !== '') {
        const parts = p[0].split(/\s+/).filter((x) => x !== '');
        const inner = nested(ids.subsystems, `${vendor}:${device}`);
        if (parts.length === 2) inner.set(`${parts[0]}:${parts[1]}`, p[1]);
      }
    }
  }
  return ids;
}

const bare = (id: string): string => (id.startsWith('0x') ? id.slice(2) : id);

/** Names for a device's IDs ("0x8086"-style), falling back to the bare ID as upstream does. */
export function pciNames(
  ids: PciIds,
  d: { vendorId: string; deviceId: string; subsystemVendorId: string; subsystemDeviceId: string; classId: string },
): { vendor_name: string; device_name: string; subsystem_vendor_name: string; subsystem_device_name: string; class_name: string } {
  const vendorName = (id: string) => ids.vendors.get(bare(id).toLowerCase()) ?? bare(id).toLowerCase();
  const vendor = bare(d.vendorId).toLowerCase();
  const device = bare(d.deviceId).toLowerCase();
  const cls = bare(d.classId).toLowerCase();
  const className =
    (cls.length >= 6 ? ids.progIfs.get(cls.slice(0, 6)) : undefined) ??
    (cls.length >= 4 ? ids.subclasses.get(cls.slice(0, 4)) : undefined) ??
    (cls.length >= 2 ? ids.classes.get(cls.slice(0, 2)) : undefined) ??
    `Unknown class (${cls})`;
  return {
    vendor_name: vendorName(d.vendorId),
    device_name: ids.devices.get(vendor)?.get(device) ?? device,
    subsystem_vendor_name: vendorName(d.subsystemVendorId),
    subsystem_device_name:
      ids.subsystems.get(`${bare(d.vendorId)}:${bare(d.deviceId)}`)?.get(`${bare(d.subsystemVendorId)}:${bare(d.subsystemDeviceId)}`) ?? bare(d.subsystemDeviceId),
    class_name: className,
  };
}
