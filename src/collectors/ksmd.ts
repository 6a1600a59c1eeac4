import { family, type CollectorDefinition, type MetricFamily, type MetricType } from '../collector.js';
import { ifMissing, readAndParse } from '../procfs/read.js';
import { parseIntValue, parseUintValue } from '../procfs/value-file.js';

interface KsmFile {
  file: string;
  metric: string;
  type: MetricType;
  help: string;
  /** The file's value is divided by this (sleep_millisecs → seconds); division, as upstream, for identical floats. */
  divisor?: number;
  /** general_profit is printed with %ld and goes negative when KSM costs more than it saves. */
  signed?: boolean;
}

const FILES: readonly KsmFile[] = [
  { file: 'full_scans', metric: 'full_scans_total', type: 'counter', help: 'Complete scans of all mergeable memory.' },
  { file: 'general_profit', metric: 'general_profit_bytes', type: 'gauge', signed: true, help: 'Memory KSM saves net of its own rmap_item overhead, in bytes.' },
  { file: 'merge_across_nodes', metric: 'merge_across_nodes', type: 'gauge', help: '1 when pages of different NUMA nodes may be merged.' },
  { file: 'pages_shared', metric: 'pages_shared', type: 'gauge', help: 'Shared KSM pages in use.' },
  { file: 'pages_sharing', metric: 'pages_sharing', type: 'gauge', help: 'Additional mappings of shared KSM pages (pages saved).' },
  { file: 'pages_to_scan', metric: 'pages_to_scan', type: 'gauge', help: 'Pages ksmd scans before it sleeps.' },
  { file: 'pages_unshared', metric: 'pages_unshared', type: 'gauge', help: 'Unique pages checked again and again for merging.' },
  { file: 'pages_volatile', metric: 'pages_volatile', type: 'gauge', help: 'Pages that change too fast to be merged.' },
  { file: 'run', metric: 'run', type: 'gauge', help: 'ksmd state: 0 stopped, 1 running (2 = unmerge all).' },
  { file: 'sleep_millisecs', metric: 'sleep_seconds', type: 'gauge', divisor: 1000, help: 'How long ksmd sleeps between scans, in seconds.' },
];

export const ksmd: CollectorDefinition = {
  name: 'ksmd',
  defaultEnabled: false,
  create({ paths, logger }) {
    return {
      async collect(): Promise<MetricFamily[]> {
        // A file this kernel lacks (general_profit before 6.4, ...) is skipped, as upstream does.
        const values = await Promise.all(
          FILES.map((f) =>
            readAndParse(paths.sysFilePath(`kernel/mm/ksm/${f.file}`), f.signed ? parseIntValue : parseUintValue).catch(ifMissing(undefined)),
          ),
        );
        const out: MetricFamily[] = [];
        FILES.forEach((f, i) => {
          const value = values[i];
          if (value === undefined) {
            logger.debug('ksm file not found, skipping', { file: f.file });
            return;
          }
          const v = f.divisor === undefined ? value : value / f.divisor;
          out.push(family(`node_ksmd_${f.metric}`, f.help, f.type, [{ labels: {}, value: v }]));
        });
        return out;
      },
    };
  },
};
