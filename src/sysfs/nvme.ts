/** Controller attributes of /sys/class/nvme/nvmeN that node_exporter reports. */
export const NVME_CONTROLLER_FILES = ['firmware_rev', 'model', 'serial', 'state', 'cntlid'] as const;
/** Namespace attribute files; ana_state is optional (only with ANA / multipath). */
export const NVME_NAMESPACE_FILES = ['nuse', 'size', 'queue/logical_block_size', 'ana_state'] as const;

export interface NvmeNamespace {
  id: string;
  /** "unknown" when the controller has no ana_state. */
  anaState: string;
  logicalBlockSize: number;
  usedBytes: number;
  sizeBytes: number;
}

/**
 * The namespace ID of a controller subdirectory such as "nvme0n1"; undefined for other
 * entries. Unanchored on purpose, as procfs matches it.
 */
export function nvmeNamespaceId(dirName: string): string | undefined {
  return /nvme\d+n(\d+)/.exec(dirName)?.[1];
}

/** sysfs prints these as decimals; like procfs, anything else counts as 0 rather than an error. */
function lenientUint(text: string | undefined): bigint {
  const t = text?.trim() ?? '';
  if (!/^\d+$/.test(t)) return 0n;
  const v = BigInt(t);
  return v > 2n ** 64n - 1n ? 0n : v;
}

/** Block counts times the logical block size, wrapping at 2^64 as the uint64 product upstream does. */
const bytes = (blocks: bigint, blockSize: bigint): number => Number(BigInt.asUintN(64, blocks * blockSize));

/** One namespace from its attribute texts (nuse, size, queue/logical_block_size, ana_state?). */
export function parseNvmeNamespace(id: string, files: ReadonlyMap<string, string>): NvmeNamespace {
  const blockSize = lenientUint(files.get('queue/logical_block_size'));
  const size = lenientUint(files.get('size'));
  return {
    id,
    anaState: files.get('ana_state')?.trim() ?? 'unknown',
    logicalBlockSize: Number(blockSize),
    usedBytes: bytes(lenientUint(files.get('nuse')), blockSize),
    sizeBytes: bytes(size, blockSize),
  };
}
