/*
 * /sys/class/nvme-subsystem/nvme-subsysN: one NVMe subsystem (with native multipath, one
 * NVMe-oF target subsystem or one local drive) and the controllers that are its paths.
 */

/** Attribute files of a subsystem directory; all required (iopolicy needs CONFIG_NVME_MULTIPATH). */
export const NVME_SUBSYSTEM_FILES = ['subsysnqn', 'model', 'serial', 'iopolicy'] as const;
/** Attribute files of each controller (path) entry; all required, though only two are reported. */
export const NVME_SUBSYSTEM_CONTROLLER_FILES = ['state', 'transport', 'address'] as const;

/** The controller states node_exporter reports, sorted: each path gets one series per state. */
export const NVME_PATH_STATES = ['connecting', 'dead', 'deleting', 'live', 'new', 'resetting', 'unknown'] as const;
export type NvmePathState = (typeof NVME_PATH_STATES)[number];

/** Whether a class directory entry is a subsystem (procfs matches the prefix only). */
export function isNvmeSubsystemName(name: string): boolean {
  return name.startsWith('nvme-subsys');
}

/**
 * The controllers ("nvme3") and namespace block devices ("nvme1n2", the multipath heads) among
 * a subsystem directory's entries, each sorted by name as os.ReadDir lists them; other
 * entries (attributes, power/, subsystem) are ignored.
 */
export function nvmeSubsystemMembers(entries: readonly string[]): { controllers: string[]; namespaces: string[] } {
  const sorted = [...entries].sort();
  return {
    controllers: sorted.filter((e) => /^nvme\d+$/.test(e)),
    namespaces: [...new Set(sorted.filter((e) => /^nvme\d+n\d+$/.test(e)))],
  };
}

/**
 * An attribute's value as procfs' SysReadFile returns it: one read of at most 128 bytes, then
 * surrounding whitespace trimmed. A subsystem NQN may be up to 223 bytes; node_exporter reports
 * its first 128, and so do we.
 */
export function nvmeAttributeText(raw: string): string {
  const bytes = Buffer.from(raw, 'utf8');
  const text = bytes.length > 128 ? bytes.subarray(0, 128).toString('utf8') : raw;
  return text.trim();
}

/** A controller's state file as a metric state: "deleting (no IO)" is "deleting", anything unlisted "unknown". */
export function nvmePathState(state: string): NvmePathState {
  if (state === 'deleting (no IO)') return 'deleting';
  return (NVME_PATH_STATES as readonly string[]).includes(state) ? (state as NvmePathState) : 'unknown';
}
