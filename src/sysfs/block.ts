import { parseUintValue } from '../procfs/value-file.js';

/**
 * The `rotational` label of node_disk_info from /sys/block/<dev>/queue/rotational: "1" only
 * when it reads 1. A device without a queue directory (partitions, device mapper on old
 * kernels) or with an unreadable value counts as "0", as node_exporter does.
 */
export function rotationalLabel(text: string | undefined): '0' | '1' {
  if (text === undefined) return '0';
  try {
    return parseUintValue(text) === 1 ? '1' : '0';
  } catch {
    return '0';
  }
}
