import { newDesc, type CollectorDefinition, type Desc } from '../collector.js';
import { ifMissing, readAndParse } from '../read/files.js';
import { parseIntValue, parseUintValue } from '../procfs/value-file.js';

interface KsmFile {
  file: string;
  desc: Desc;
  /** The file's value is divided by this (sleep_millisecs → seconds); division, as upstream, for identical floats. */
  divisor?: number;
  /** general_profit is printed with %ld and goes negative when KSM costs more than it saves. */
  signed?: boolean;
}

const FILES: readonly KsmFile[] = [
  { file: 'full_scans', desc: newDesc('node_ksmd_full_scans_total', 'Complete scans of all mergeable memory.', 'counter') },
  { file: 'general_profit', desc: newDesc('node_ksmd_general_profit_bytes', 'Memory KSM saves net of its own rmap_item overhead, in bytes.', 'gauge'), signed: true },
  { file: 'merge_across_nodes', desc: newDesc('node_ksmd_merge_across_nodes', '1 when pages of different NUMA nodes may be merged.', 'gauge') },
  { file: 'pages_shared', desc: newDesc('node_ksmd_pages_shared', 'Shared KSM pages in use.', 'gauge') },
  { file: 'pages_sharing', desc: newDesc('node_ksmd_pages_sharing', 'Additional mappings of shared KSM pages (pages saved).', 'gauge') },
  { file: 'pages_to_scan', desc: newDesc('node_ksmd_pages_to_scan', 'Pages ksmd scans before it sleeps.', 'gauge') },
  { file: 'pages_unshared', desc: newDesc('node_ksmd_pages_unshared', 'Unique pages checked again and again for merging.', 'gauge') },
  { file: 'pages_volatile', desc: newDesc('node_ksmd_pages_volatile', 'Pages that change too fast to be merged.', 'gauge') },
  { file: 'run', desc: newDesc('node_ksmd_run', 'ksmd state: 0 stopped, 1 running (2 = unmerge all).', 'gauge') },
  { file: 'sleep_millisecs', desc: newDesc('node_ksmd_sleep_seconds', 'How long ksmd sleeps between scans, in seconds.', 'gauge'), divisor: 1000 },
];

export const ksmd: CollectorDefinition = {
  name: 'ksmd',
  defaultEnabled: false,
  create({ paths, logger }) {
    return {
      async collect(_ctx, out) {
        // A file this kernel lacks (general_profit before 6.4, ...) is skipped, as upstream does.
        const values = await Promise.all(
          FILES.map((f) => readAndParse(paths.sysFilePath(`kernel/mm/ksm/${f.file}`), f.signed ? parseIntValue : parseUintValue).catch(ifMissing(undefined))),
        );
        FILES.forEach((f, i) => {
          const value = values[i];
          if (value === undefined) {
            logger.debug('ksm file not found, skipping', { file: f.file });
            return;
          }
          out.add(f.desc, f.divisor === undefined ? value : value / f.divisor);
        });
      },
    };
  },
};
