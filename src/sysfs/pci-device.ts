import { parseGoInt } from '../procfs/go-number.js';
import { ParseError } from '../procfs/parse-error.js';

/** A PCI address, domain:bus:device.function, as /sys/bus/pci/devices names its links. */
export interface PciLocation {
  segment: number;
  bus: number;
  device: number;
  function: number;
}

export interface PciDevice {
  location: PciLocation;
  /** The upstream bridge; undefined for a device directly on a root complex (pciDDDD:BB). */
  parent: PciLocation | undefined;
  class: number;
  vendor: number;
  device: number;
  subsystemVendor: number;
  subsystemDevice: number;
  revision: number;
  numaNode?: number;
  /** GT/s, as the kernel prints it. */
  maxLinkSpeed?: number;
  maxLinkWidth?: number;
  currentLinkSpeed?: number;
  currentLinkWidth?: number;
  sriovDriversAutoprobe?: boolean;
  sriovNumvfs?: number;
  sriovTotalvfs?: number;
  sriovVfTotalMsix?: number;
  d3coldAllowed?: boolean;
  powerState?: string;
}

/** Attribute files of a device directory the parser uses; the first six are required. */
export const PCI_ID_FILES = ['class', 'vendor', 'device', 'subsystem_vendor', 'subsystem_device', 'revision'] as const;
export const PCI_OPTIONAL_FILES = [
  'max_link_speed',
  'max_link_width',
  'current_link_speed',
  'current_link_width',
  'numa_node',
  'sriov_drivers_autoprobe',
  'sriov_numvfs',
  'sriov_totalvfs',
  'sriov_vf_total_msix',
  'd3cold_allowed',
  'power_state',
] as const;
export type PciFile = (typeof PCI_ID_FILES)[number] | (typeof PCI_OPTIONAL_FILES)[number];

const hex = (s: string, width: number): string => s.padStart(width, '0');

/** The location as the label values segment, bus, device, function. */
export function pciLocationLabels(l: PciLocation): [string, string, string, string] {
  return [hex(l.segment.toString(16), 4), hex(l.bus.toString(16), 2), hex(l.device.toString(16), 2), l.function.toString(16)];
}

function hexField(text: string | undefined, what: string, loc: string): number {
  if (text === undefined || !/^[+-]?[0-9a-fA-F]+$/.test(text)) throw new ParseError(`invalid ${what} in PCI location ${JSON.stringify(loc)}`);
  const v = Number.parseInt(text, 16);
  if (v > 0x7fffffff || v < -0x80000000) throw new ParseError(`${what} out of range in PCI location ${JSON.stringify(loc)}`);
  return v;
}

/** "0000:00:02.1" → its four parts; anything else is a ParseError. */
export function parsePciLocation(text: string): PciLocation {
  const parts = text.split(':');
  if (parts.length !== 3) throw new ParseError(`invalid PCI location ${JSON.stringify(text)}`);
  const devFn = (parts[2] ?? '').split('.');
  if (devFn.length !== 2) throw new ParseError(`invalid PCI location ${JSON.stringify(text)}`);
  return {
    segment: hexField(parts[0], 'segment', text),
    bus: hexField(parts[1], 'bus', text),
    device: hexField(devFn[0], 'device', text),
    function: hexField(devFn[1], 'function', text),
  };
}

function decimal(text: string, what: string, min: number, max: number): number {
  if (!/^[+-]?\d+$/.test(text)) throw new ParseError(`invalid ${what} ${JSON.stringify(text)}`);
  const v = Number(text);
  if (v < min || v > max) throw new ParseError(`${what} out of range: ${text}`);
  return v;
}

const U32 = 0xffffffff;
const I32 = [-0x80000000, 0x7fffffff] as const;

/** "8.0 GT/s PCIe" → 8; other units are an error, as upstream has no conversion for them. */
function linkSpeed(text: string, what: string): number {
  const at = text.indexOf(' ');
  const unit = at < 0 ? undefined : text.slice(at + 1);
  if (unit === undefined) throw new ParseError(`invalid ${what} ${JSON.stringify(text)}`);
  if (unit !== 'GT/s PCIe') throw new ParseError(`unknown unit in ${what} ${JSON.stringify(text)}`);
  const num = text.slice(0, at).trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(num)) throw new ParseError(`invalid ${what} ${JSON.stringify(text)}`);
  return Number(num);
}

/**
 * One device from its link target (…/pci0000:00/0000:00:02.1/0000:01:00.0: its own location,
 * then its parent's) and the texts of its attribute files, whitespace-trimmed by the caller;
 * undefined = the file does not exist.
 */
export function parsePciDevice(linkTarget: string, files: ReadonlyMap<PciFile, string>): PciDevice {
  const segs = linkTarget.split('/').filter((s) => s !== '');
  const own = segs[segs.length - 1] ?? '';
  const parentName = segs[segs.length - 2] ?? '';
  const location = parsePciLocation(own);
  const parent = parentName.startsWith('pci') ? undefined : parsePciLocation(parentName);
  const id = (f: (typeof PCI_ID_FILES)[number]): number => {
    const t = files.get(f);
    if (t === undefined) throw new ParseError(`missing ${f} file`);
    const v = parseGoInt(t);
    if (v === undefined || v < I32[0] || v > I32[1]) throw new ParseError(`invalid ${f} ${JSON.stringify(t)}`);
    return v >>> 0;
  };
  const dev: PciDevice = {
    location,
    parent,
    class: id('class'),
    vendor: id('vendor'),
    device: id('device'),
    subsystemVendor: id('subsystem_vendor'),
    subsystemDevice: id('subsystem_device'),
    revision: id('revision'),
  };
  const opt = (f: PciFile): string | undefined => {
    const t = files.get(f);
    return t === undefined || t === '' ? undefined : t;
  };
  // Link attributes read "Unknown ..." when the link is down: treated as absent.
  const link = (f: PciFile): string | undefined => {
    const t = opt(f);
    return t === undefined || t.startsWith('Unknown') ? undefined : t;
  };
  let t: string | undefined;
  if ((t = link('max_link_speed')) !== undefined) dev.maxLinkSpeed = linkSpeed(t, 'max_link_speed');
  if ((t = link('max_link_width')) !== undefined) dev.maxLinkWidth = decimal(t, 'max_link_width', -(2 ** 63), 2 ** 63);
  if ((t = link('current_link_speed')) !== undefined) dev.currentLinkSpeed = linkSpeed(t, 'current_link_speed');
  if ((t = link('current_link_width')) !== undefined) dev.currentLinkWidth = decimal(t, 'current_link_width', -(2 ** 63), 2 ** 63);
  if ((t = link('numa_node')) !== undefined) dev.numaNode = decimal(t, 'numa_node', I32[0], I32[1]);
  if ((t = opt('sriov_drivers_autoprobe')) !== undefined) dev.sriovDriversAutoprobe = decimal(t, 'sriov_drivers_autoprobe', I32[0], I32[1]) !== 0;
  if ((t = opt('sriov_numvfs')) !== undefined) dev.sriovNumvfs = decimal(t, 'sriov_numvfs', 0, U32);
  if ((t = opt('sriov_totalvfs')) !== undefined) dev.sriovTotalvfs = decimal(t, 'sriov_totalvfs', 0, U32);
  if ((t = opt('sriov_vf_total_msix')) !== undefined) dev.sriovVfTotalMsix = decimal(t, 'sriov_vf_total_msix', 0, 2 ** 64);
  if ((t = opt('d3cold_allowed')) !== undefined) dev.d3coldAllowed = decimal(t, 'd3cold_allowed', I32[0], I32[1]) !== 0;
  if ((t = opt('power_state')) !== undefined) dev.powerState = t;
  return dev;
}
